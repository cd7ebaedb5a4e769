package io.alerthistory.stats;

import static io.alerthistory.stats.MinuteRing.A_ATTEMPTS;
import static io.alerthistory.stats.MinuteRing.A_FAILURES;
import static io.alerthistory.stats.MinuteRing.A_HIST;
import static io.alerthistory.stats.MinuteRing.A_SUCCESSES;
import static io.alerthistory.stats.MinuteRing.HIST_BUCKETS;
import static io.alerthistory.stats.MinuteRing.REASONS;

/** Figures read off an aggregate ({@code long[]} in the layout of {@link MinuteRing}). */
final class Aggregates {
  private Aggregates() {}

  static long failures(long[] a) {
    long sum = 0;
    for (int r = 0; r < REASONS; r++) {
      sum += a[A_FAILURES + r];
    }
    return sum;
  }

  /** Attempts that ended: successes plus failed attempts. */
  static long outcomes(long[] a) {
    return a[A_SUCCESSES] + failures(a);
  }

  /** Successes over outcomes, or null with no outcome. */
  static Double successRate(long[] a) {
    long n = outcomes(a);
    return n == 0 ? null : (double) a[A_SUCCESSES] / n;
  }

  /** Four decimals are plenty for rates and seconds, and halve the size of the answers. */
  static Double round4(Double v) {
    return v == null ? null : Math.round(v * 1e4) / 1e4;
  }

  static long attempts(long[] a) {
    return a[A_ATTEMPTS];
  }

  static long latencyCount(long[] a) {
    long n = 0;
    for (int b = 0; b < HIST_BUCKETS; b++) {
      n += a[A_HIST + b];
    }
    return n;
  }

  /**
   * The {@code q} quantile of the latency histogram in seconds, or null when empty. Within a bucket
   * the value is interpolated on a log scale between its bounds (linear in bucket 0); the unbounded
   * last bucket answers its lower bound.
   */
  static Double quantile(long[] a, double q) {
    long n = latencyCount(a);
    if (n == 0) {
      return null;
    }
    double rank = q * n;
    long seen = 0;
    for (int b = 0; b < HIST_BUCKETS; b++) {
      long c = a[A_HIST + b];
      if (c == 0 || seen + c < rank) {
        seen += c;
        continue;
      }
      double frac = c == 0 ? 1 : Math.max(0, Math.min(1, (rank - seen) / c));
      double upper = MinuteRing.histUpperSeconds(b);
      if (b == 0) {
        return upper * frac;
      }
      double lower = MinuteRing.histUpperSeconds(b - 1);
      if (Double.isInfinite(upper)) {
        return lower;
      }
      return lower * Math.pow(upper / lower, frac);
    }
    return MinuteRing.histUpperSeconds(HIST_BUCKETS - 2);
  }
}
