package io.alerthistory.bench;

import io.alerthistory.attempt.FailureReason;
import io.alerthistory.stats.DeliveryStats;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Random;

/** Fills stats buckets with 24 hours of mixed outcomes for many targets, ending now. */
final class StatsFill {
  private StatsFill() {}

  /** A clock the filler moves minute by minute. */
  static final class Movable implements InstantSource {
    volatile long millis;

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  static void fill(DeliveryStats stats, Movable clock, String[] targets, long endMillis) {
    Random random = new Random(7);
    for (int m = 1439; m >= 0; m--) {
      clock.millis = endMillis - m * 60_000L;
      for (String t : targets) {
        for (int i = 0; i < 5; i++) {
          stats.attempt(t, 20_000_000);
          stats.delivered(t, (long) (random.nextDouble() * 3e9));
        }
        stats.attempt(t, 20_000_000);
        stats.failed(t, FailureReason.values()[random.nextInt(6)]);
        stats.queueDepth(t, random.nextInt(20));
      }
    }
  }

  static String[] names(int count) {
    String[] out = new String[count];
    for (int i = 0; i < count; i++) {
      out[i] = "team-" + i;
    }
    return out;
  }
}
