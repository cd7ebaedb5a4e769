package io.alerthistory.stats;

import io.alerthistory.stats.Reports.Direction;
import io.alerthistory.stats.Reports.Spike;

/** The trend rules of docs/stats.md, on hourly aggregates: hour 0 is the last hour. */
final class TrendRules {
  /** Fewer outcomes (or latency samples) than this in a side of a comparison: unknown. */
  static final int MIN_SAMPLES = 10;

  static final double SUCCESS_STEP = 0.02;
  static final double LATENCY_WORSE = 1.25;
  static final double LATENCY_BETTER = 0.8;
  static final double VOLUME_GROWING = 1.5;
  static final double VOLUME_SHRINKING = 1 / 1.5;
  static final double SPIKE_MIN_MARGIN = 0.02;

  private TrendRules() {}

  static long[] baseline(long[][] hours) {
    long[] sum = new long[MinuteRing.A_SIZE];
    for (int k = 1; k < hours.length; k++) {
      MinuteRing.merge(sum, hours[k]);
    }
    return sum;
  }

  static Direction successRate(long[] hour, long[] base) {
    Double now = Aggregates.successRate(hour);
    Double before = Aggregates.successRate(base);
    if (Aggregates.outcomes(hour) < MIN_SAMPLES || Aggregates.outcomes(base) < MIN_SAMPLES) {
      return new Direction("unknown", now, before);
    }
    double delta = now - before;
    String t =
        delta <= -SUCCESS_STEP ? "degrading" : delta >= SUCCESS_STEP ? "improving" : "stable";
    return new Direction(t, now, before);
  }

  static Direction p95Latency(long[] hour, long[] base) {
    Double now = Aggregates.quantile(hour, 0.95);
    Double before = Aggregates.quantile(base, 0.95);
    if (Aggregates.latencyCount(hour) < MIN_SAMPLES
        || Aggregates.latencyCount(base) < MIN_SAMPLES
        || before <= 0) {
      return new Direction("unknown", now, before);
    }
    double ratio = now / before;
    String t =
        ratio >= LATENCY_WORSE ? "degrading" : ratio <= LATENCY_BETTER ? "improving" : "stable";
    return new Direction(t, now, before);
  }

  /** Outcomes in the last hour against the mean per hour of the 23 before it. */
  static Direction volume(long[] hour, long[] base, int baseHours) {
    double now = Aggregates.outcomes(hour);
    double mean = (double) Aggregates.outcomes(base) / baseHours;
    String t;
    if (now < MIN_SAMPLES && mean < MIN_SAMPLES) {
      t = "stable";
    } else if (mean == 0) {
      t = "growing";
    } else {
      double ratio = now / mean;
      t = ratio >= VOLUME_GROWING ? "growing" : ratio <= VOLUME_SHRINKING ? "shrinking" : "stable";
    }
    return new Direction(t, now, mean);
  }

  /**
   * The last hour's error rate against the error rates of the earlier hours that had outcomes
   * (population mean and standard deviation); needs two such hours and enough outcomes now.
   */
  static Spike errorSpike(long[][] hours) {
    long n0 = Aggregates.outcomes(hours[0]);
    Double rate = n0 == 0 ? null : (double) Aggregates.failures(hours[0]) / n0;
    double sum = 0;
    double sumSq = 0;
    int count = 0;
    for (int k = 1; k < hours.length; k++) {
      long n = Aggregates.outcomes(hours[k]);
      if (n > 0) {
        double r = (double) Aggregates.failures(hours[k]) / n;
        sum += r;
        sumSq += r * r;
        count++;
      }
    }
    if (count < 2) {
      return new Spike(false, rate, null, null, null);
    }
    double mean = sum / count;
    double sd = Math.sqrt(Math.max(0, sumSq / count - mean * mean));
    double threshold = mean + Math.max(3 * sd, SPIKE_MIN_MARGIN);
    boolean detected = rate != null && n0 >= MIN_SAMPLES && rate > threshold;
    return new Spike(detected, rate, mean, sd, threshold);
  }
}
