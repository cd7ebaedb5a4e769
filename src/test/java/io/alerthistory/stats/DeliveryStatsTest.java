package io.alerthistory.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.alerthistory.attempt.FailureReason;
import io.alerthistory.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryStatsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T00:00:30Z"));
  private final DeliveryStats stats = new DeliveryStats(clock);

  @Test
  void countsLandInTheirWindows() {
    stats.attempt("a", 1_000_000);
    stats.delivered("a", 15_000_000);
    stats.attempt("a", 1_000_000);
    stats.failed("a", FailureReason.TIMEOUT);
    stats.deadLettered("a");
    stats.rateLimited("a");
    stats.queueDepth("a", 7);
    stats.queueDepth("a", 3);
    clock.advance(Duration.ofMinutes(10));
    stats.attempt("a", 1_000_000);
    stats.delivered("a", 15_000_000);

    MinuteRing.Windows w = stats.windows("a");
    assertThat(w.last5()[MinuteRing.A_ATTEMPTS]).isEqualTo(1);
    long[] hour = w.lastHour();
    assertThat(hour[MinuteRing.A_ATTEMPTS]).isEqualTo(3);
    assertThat(hour[MinuteRing.A_SUCCESSES]).isEqualTo(2);
    assertThat(hour[MinuteRing.A_FAILURES + FailureReason.TIMEOUT.ordinal()]).isEqualTo(1);
    assertThat(hour[MinuteRing.A_DEAD]).isEqualTo(1);
    assertThat(hour[MinuteRing.A_RATE_LIMITED]).isEqualTo(1);
    assertThat(hour[MinuteRing.A_QUEUE_MAX]).isEqualTo(7);
    // 15 ms falls in (10 ms, 20 ms], bucket 1.
    assertThat(hour[MinuteRing.A_HIST + 1]).isEqualTo(2);
    assertThat(Aggregates.successRate(hour)).isCloseTo(2 / 3.0, within(1e-9));
  }

  @Test
  void aBucketIsResetWhenItsMinuteComesRoundAgain() {
    stats.attempt("a", 0);
    clock.advance(Duration.ofMinutes(MinuteRing.SLOTS));
    stats.attempt("a", 0);
    assertThat(stats.windows("a").last24h()[MinuteRing.A_ATTEMPTS]).isEqualTo(1);
    clock.advance(Duration.ofHours(25));
    assertThat(stats.windows("a").last24h()[MinuteRing.A_ATTEMPTS]).isZero();
  }

  @Test
  void packedCountersSaturateInsteadOfOverflowing() {
    for (int i = 0; i < 70_000; i++) {
      stats.failed("a", FailureReason.CLIENT_ERROR);
    }
    stats.failed("a", FailureReason.SERVER_ERROR);
    long[] h = stats.windows("a").lastHour();
    assertThat(h[MinuteRing.A_FAILURES + FailureReason.CLIENT_ERROR.ordinal()]).isEqualTo(65_535);
    assertThat(h[MinuteRing.A_FAILURES + FailureReason.SERVER_ERROR.ordinal()]).isEqualTo(1);
  }

  @Test
  void histogramBucketsDoubleFromTenMilliseconds() {
    assertThat(MinuteRing.histBucket(0)).isZero();
    assertThat(MinuteRing.histBucket(10_000_000)).isZero();
    assertThat(MinuteRing.histBucket(10_000_001)).isEqualTo(1);
    assertThat(MinuteRing.histBucket(20_000_000)).isEqualTo(1);
    assertThat(MinuteRing.histBucket(40_000_000)).isEqualTo(2);
    assertThat(MinuteRing.histBucket(Duration.ofHours(1).toNanos())).isEqualTo(15);
    assertThat(MinuteRing.histUpperSeconds(14)).isCloseTo(163.84, within(1e-9));
  }

  @Test
  void quantilesInterpolateWithinABucket() {
    for (int i = 0; i < 100; i++) {
      stats.delivered("a", 30_000_000); // bucket 2: (20 ms, 40 ms]
    }
    Double p50 = Aggregates.quantile(stats.windows("a").lastHour(), 0.5);
    assertThat(p50).isBetween(0.020, 0.040);
  }

  @Test
  void concurrentWritersLoseNothing() throws Exception {
    List<Thread> threads =
        java.util.stream.IntStream.range(0, 4)
            .mapToObj(
                i ->
                    Thread.ofPlatform()
                        .start(
                            () -> {
                              for (int n = 0; n < 10_000; n++) {
                                stats.attempt("a", 0);
                                stats.delivered("a", 1_000_000);
                              }
                            }))
            .toList();
    for (Thread t : threads) {
      t.join();
    }
    long[] h = stats.windows("a").lastHour();
    assertThat(h[MinuteRing.A_ATTEMPTS]).isEqualTo(40_000);
    assertThat(h[MinuteRing.A_SUCCESSES]).isEqualTo(40_000);
    assertThat(h[MinuteRing.A_HIST]).isEqualTo(40_000);
  }

  @Test
  void snapshotAndRestoreKeepTheLast24Hours() {
    stats.attempt("a", 0);
    clock.advance(Duration.ofHours(2));
    stats.attempt("a", 0);
    stats.attempt("b", 0);
    StatsSnapshot saved = stats.snapshot();

    clock.advance(Duration.ofHours(23));
    DeliveryStats restored = new DeliveryStats(clock);
    restored.restore(saved);
    // The first attempt is now 25 hours old and is not restored.
    assertThat(restored.windows("a").last24h()[MinuteRing.A_ATTEMPTS]).isEqualTo(1);
    assertThat(restored.windows("b").last24h()[MinuteRing.A_ATTEMPTS]).isEqualTo(1);
  }

  @Test
  void retainDropsRingsOfRemovedTargets() {
    stats.attempt("a", 0);
    stats.attempt("b", 0);
    stats.retain(List.of("b"));
    assertThat(stats.snapshot().rings()).containsOnlyKeys("b");
  }
}
