package io.alerthistory.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.alerthistory.attempt.FailureReason;
import io.alerthistory.health.HealthMonitor;
import io.alerthistory.health.HealthSettings;
import io.alerthistory.health.HealthStatus;
import io.alerthistory.health.ProbeResult;
import io.alerthistory.refresh.RefreshStatus;
import io.alerthistory.target.TargetRegistry;
import io.alerthistory.testing.MutableClock;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Trends and scores over scripted histories (docs/stats.md). */
class PublishingStatsTest {
  private static final Instant END = Instant.parse("2026-11-23T12:00:30Z");

  private final MutableClock clock = new MutableClock(END);
  private final DeliveryStats buckets = new DeliveryStats(clock);
  private final TargetRegistry registry =
      Fixtures.registry(END, Fixtures.webhook("hook", "http://127.0.0.1:1/x"));
  private final HealthMonitor monitor =
      new HealthMonitor(
          registry,
          t -> ProbeResult.ok(Duration.ofMillis(5)),
          HealthSettings.defaults(),
          clock,
          Fixtures.IDLE,
          new PrometheusRegistry());
  private final AtomicReference<LaneState> lane = new AtomicReference<>(LaneState.IDLE);
  private final AtomicReference<RefreshStatus> refresh = new AtomicReference<>(refresh(0, 10));
  private final PublishingStats stats =
      new PublishingStats(
          buckets,
          registry,
          monitor,
          name -> lane.get(),
          refresh::get,
          StatsSettings.defaults(),
          clock);

  private static RefreshStatus refresh(int failures, long ageSeconds) {
    return new RefreshStatus(
        RefreshStatus.Phase.SUCCESS,
        null,
        null,
        0,
        1,
        1,
        0,
        failures,
        null,
        "test",
        true,
        null,
        ageSeconds);
  }

  /** {@code ok} successes and {@code failed} server errors, 30 minutes into hour {@code k} ago. */
  private void hour(int k, int ok, int failed, long latencyNanos) {
    clock.set(END.minus(Duration.ofMinutes(60L * k + 30)));
    for (int i = 0; i < ok; i++) {
      buckets.attempt("hook", latencyNanos);
      buckets.delivered("hook", latencyNanos);
    }
    for (int i = 0; i < failed; i++) {
      buckets.attempt("hook", latencyNanos);
      buckets.failed("hook", FailureReason.SERVER_ERROR);
    }
    clock.set(END);
  }

  @Test
  void aWorseLastHourIsDegradingWithAnErrorSpike() {
    for (int k = 1; k < 24; k++) {
      hour(k, 99, 1, 50_000_000);
    }
    hour(0, 70, 30, 50_000_000);

    Reports.Trend t = stats.trends(StatsFilter.ALL).targets().getFirst();
    assertThat(t.successRate().trend()).isEqualTo("degrading");
    assertThat(t.successRate().lastHour()).isCloseTo(0.70, within(1e-9));
    assertThat(t.successRate().baseline()).isCloseTo(0.99, within(1e-9));
    assertThat(t.errorSpike().detected()).isTrue();
    assertThat(t.errorSpike().mean()).isCloseTo(0.01, within(1e-9));
    assertThat(t.errorSpike().errorRate()).isCloseTo(0.30, within(1e-9));
    assertThat(t.volume().trend()).isEqualTo("stable");
    assertThat(t.p95Latency().trend()).isEqualTo("stable");
  }

  @Test
  void aSteadyHistoryIsStableWithNoSpike() {
    for (int k = 0; k < 24; k++) {
      hour(k, 99, 1, 50_000_000);
    }
    Reports.Trend t = stats.trends(StatsFilter.ALL).targets().getFirst();
    assertThat(t.successRate().trend()).isEqualTo("stable");
    assertThat(t.p95Latency().trend()).isEqualTo("stable");
    assertThat(t.volume().trend()).isEqualTo("stable");
    assertThat(t.errorSpike().detected()).isFalse();
    assertThat(t.errorSpike().stddev()).isCloseTo(0.0, within(1e-9));
  }

  @Test
  void slowerAndBusierLastHourIsDegradingLatencyAndGrowingVolume() {
    for (int k = 1; k < 24; k++) {
      hour(k, 100, 0, 50_000_000);
    }
    hour(0, 300, 0, 400_000_000);
    Reports.Trend t = stats.trends(StatsFilter.ALL).targets().getFirst();
    assertThat(t.p95Latency().trend()).isEqualTo("degrading");
    assertThat(t.volume().trend()).isEqualTo("growing");
    assertThat(t.successRate().trend()).isEqualTo("stable");
  }

  @Test
  void tooLittleTrafficIsUnknown() {
    hour(0, 3, 0, 50_000_000);
    Reports.Trend t = stats.trends(StatsFilter.ALL).targets().getFirst();
    assertThat(t.successRate().trend()).isEqualTo("unknown");
    assertThat(t.p95Latency().trend()).isEqualTo("unknown");
    assertThat(t.errorSpike().detected()).isFalse();
  }

  @Test
  void scoreFormulaByHand() {
    // S = 0.7, A = 1, p95 = 15 s of a 30 s SLO, backlog a quarter full.
    assertThat(HealthScore.target(0.7, 1.0, 15.0, 30, 0.25)).isCloseTo(75.5, within(1e-9));
    // No traffic: S and the latency term count as 1; unknown health and a closed circuit give 0.5.
    assertThat(HealthScore.target(null, 0.5, null, 30, 0)).isCloseTo(85.0, within(1e-9));
    assertThat(HealthScore.withPenalty(85.0, true)).isEqualTo(65.0);
    assertThat(HealthScore.withPenalty(10.0, true)).isZero();
  }

  @Test
  void targetScoreFromBucketsLaneAndHealth() {
    monitor.runRound();
    hour(0, 9, 1, 5_000_000);
    lane.set(new LaneState(50, 100, 2_000, LaneState.Circuit.HALF_OPEN));

    Reports.TargetRow row = stats.stats(StatsFilter.ALL).targets().getFirst();
    // All latencies in bucket 0 (<= 10 ms): p95 = 0.95 * 10 ms.
    assertThat(row.latency1h().p95()).isCloseTo(0.0095, within(1e-12));
    double expected = 100 * (0.4 * 0.9 + 0.3 * 0.5 + 0.2 * (1 - 0.0095 / 30) + 0.1 * 0.5);
    assertThat(row.score()).isEqualTo(Math.round(expected * 10) / 10.0);
    assertThat(row.health()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(row.queueDepth()).isEqualTo(50);
    assertThat(row.oldestQueuedAgeSeconds()).isEqualTo(2.0);
    assertThat(row.circuitState()).isEqualTo("half_open");

    refresh.set(refresh(3, 10));
    assertThat(stats.stats(StatsFilter.ALL).targets().getFirst().score())
        .isEqualTo(Math.round((expected - 20) * 10) / 10.0);
    refresh.set(refresh(0, 601));
    assertThat(stats.health().refreshStale()).isTrue();
  }

  @Test
  void overallHealthFollowsTheScore() {
    monitor.runRound();
    assertThat(stats.health().status()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(stats.health().score()).isEqualTo(100.0);

    refresh.set(refresh(5, 10));
    assertThat(stats.health().status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(stats.health().score()).isEqualTo(80.0);

    hour(0, 0, 100, 5_000_000);
    lane.set(new LaneState(100, 100, 60_000, LaneState.Circuit.OPEN));
    assertThat(stats.health().status()).isEqualTo(HealthStatus.UNHEALTHY);
  }
}
