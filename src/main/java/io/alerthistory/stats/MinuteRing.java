package io.alerthistory.stats;

import io.alerthistory.attempt.FailureReason;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One target's per-minute counters for the last 24 hours in a single {@code int[]}: a ring of
 * {@value #SLOTS} buckets of {@value #STRIDE} ints (64 bytes), written without locks.
 *
 * <p>Each bucket starts with a stamp, {@code epochMinute + 1} (0 = never used). A writer whose
 * minute is newer than the stamp claims the bucket by a CAS to {@code -stamp}, zeroes it and
 * publishes the new stamp; writers meeting a negative stamp wait for that. Small counters are
 * packed two to an int as saturating 16-bit halves to keep 1,000 targets under 100 MB.
 */
public final class MinuteRing {
  public static final int SLOTS = 1440;
  public static final int STRIDE = 16;

  static final int STAMP = 0;
  static final int ATTEMPTS = 1;
  static final int SUCCESSES = 2;

  /** Dead letters in the low half, rate-limited events in the high half. */
  static final int DEAD_RATE = 3;

  static final int QUEUE_MAX = 4;

  /** Failures by reason ordinal, two per int. */
  static final int FAILURES = 5;

  /** Latency histogram, two buckets per int. */
  static final int HIST = 8;

  public static final int HIST_BUCKETS = 16;

  /** Upper bound of histogram bucket 0; each next bucket doubles it; the last is unbounded. */
  public static final long HIST_BASE_NANOS = 10_000_000L;

  static final int REASONS = FailureReason.values().length;

  // Aggregates (windows of several minutes) are long[] with this layout.
  public static final int A_ATTEMPTS = 0;
  public static final int A_SUCCESSES = 1;
  public static final int A_DEAD = 2;
  public static final int A_RATE_LIMITED = 3;
  public static final int A_QUEUE_MAX = 4;
  public static final int A_FAILURES = 5;
  public static final int A_HIST = A_FAILURES + REASONS;
  public static final int A_SIZE = A_HIST + HIST_BUCKETS;

  private static final VarHandle INT = MethodHandles.arrayElementVarHandle(int[].class);
  private static final int HALF = 0xFFFF;

  private final int[] data = new int[SLOTS * STRIDE];

  /** Hourly sums of complete minutes, rebuilt once per minute on first read. */
  private volatile Rollup rollup;

  private record Rollup(long minute, long[] last5, long[][] hours) {}

  static long minuteOf(long epochMillis) {
    return Math.floorDiv(epochMillis, 60_000L);
  }

  void add(long minute, int field, int delta) {
    INT.getAndAdd(data, bucket(minute) + field, delta);
  }

  void addDead(long minute) {
    addHalf(bucket(minute) + DEAD_RATE, 0);
  }

  void addRateLimited(long minute) {
    addHalf(bucket(minute) + DEAD_RATE, 16);
  }

  void addFailure(long minute, FailureReason reason) {
    int r = reason.ordinal();
    addHalf(bucket(minute) + FAILURES + (r >> 1), (r & 1) << 4);
  }

  void addLatency(long minute, long nanos) {
    int b = histBucket(nanos);
    addHalf(bucket(minute) + HIST + (b >> 1), (b & 1) << 4);
  }

  void maxQueue(long minute, int depth) {
    int i = bucket(minute) + QUEUE_MAX;
    int cur = (int) INT.getVolatile(data, i);
    while (depth > cur) {
      int seen = (int) INT.compareAndExchange(data, i, cur, depth);
      if (seen == cur) {
        return;
      }
      cur = seen;
    }
  }

  static int histBucket(long nanos) {
    if (nanos <= HIST_BASE_NANOS) {
      return 0;
    }
    int b = 64 - Long.numberOfLeadingZeros((nanos - 1) / HIST_BASE_NANOS);
    return Math.min(b, HIST_BUCKETS - 1);
  }

  /** Upper bound of histogram bucket {@code b} in seconds; infinite for the last one. */
  public static double histUpperSeconds(int b) {
    return b >= HIST_BUCKETS - 1
        ? Double.POSITIVE_INFINITY
        : HIST_BASE_NANOS * (double) (1L << b) / 1e9;
  }

  private void addHalf(int i, int shift) {
    int cur = (int) INT.getVolatile(data, i);
    while (((cur >>> shift) & HALF) != HALF) {
      int seen = (int) INT.compareAndExchange(data, i, cur, cur + (1 << shift));
      if (seen == cur) {
        return;
      }
      cur = seen;
    }
  }

  /** The start index of the bucket for {@code minute}, reset first if it held an older minute. */
  private int bucket(long minute) {
    int stamp = (int) (minute + 1);
    int base = (int) Math.floorMod(minute, (long) SLOTS) * STRIDE;
    while (true) {
      int s = (int) INT.getVolatile(data, base);
      if (s < 0) {
        Thread.onSpinWait();
      } else if (s >= stamp) {
        // A writer whose clock read a little earlier adds into the newer minute: off by one
        // minute at the boundary, never lost.
        return base;
      } else if (INT.compareAndSet(data, base, s, -stamp)) {
        for (int i = 1; i < STRIDE; i++) {
          INT.setOpaque(data, base + i, 0);
        }
        INT.setVolatile(data, base, stamp);
        return base;
      }
    }
  }

  /** Adds the bucket of {@code minute} into {@code agg}, if the ring holds that minute. */
  void addInto(long minute, long[] agg) {
    int base = (int) Math.floorMod(minute, (long) SLOTS) * STRIDE;
    if ((int) INT.getAcquire(data, base) != (int) (minute + 1)) {
      return;
    }
    agg[A_ATTEMPTS] += (int) INT.getOpaque(data, base + ATTEMPTS);
    agg[A_SUCCESSES] += (int) INT.getOpaque(data, base + SUCCESSES);
    int dr = (int) INT.getOpaque(data, base + DEAD_RATE);
    agg[A_DEAD] += dr & HALF;
    agg[A_RATE_LIMITED] += dr >>> 16;
    agg[A_QUEUE_MAX] = Math.max(agg[A_QUEUE_MAX], (int) INT.getOpaque(data, base + QUEUE_MAX));
    for (int r = 0; r < REASONS; r += 2) {
      int v = (int) INT.getOpaque(data, base + FAILURES + (r >> 1));
      agg[A_FAILURES + r] += v & HALF;
      if (r + 1 < REASONS) {
        agg[A_FAILURES + r + 1] += v >>> 16;
      }
    }
    for (int b = 0; b < HIST_BUCKETS; b += 2) {
      int v = (int) INT.getOpaque(data, base + HIST + (b >> 1));
      agg[A_HIST + b] += v & HALF;
      agg[A_HIST + b + 1] += v >>> 16;
    }
  }

  /**
   * Sums for the 24 hours up to and including {@code minute}: {@code hours[0]} covers the last 60
   * minutes with the current one, {@code hours[k]} the 60 before {@code hours[k-1]}. Complete
   * minutes come from a rollup rebuilt once per minute; only the current bucket is read live.
   */
  public Windows windows(long minute) {
    Rollup r = rollup;
    if (r == null || r.minute() != minute) {
      r = build(minute);
      rollup = r;
    }
    long[] last5 = r.last5().clone();
    long[][] hours = new long[24][];
    for (int k = 0; k < 24; k++) {
      hours[k] = r.hours()[k].clone();
    }
    addInto(minute, last5);
    addInto(minute, hours[0]);
    return new Windows(last5, hours);
  }

  private Rollup build(long minute) {
    long[][] hours = new long[24][A_SIZE];
    for (int k = 0; k < 24; k++) {
      long end = minute - 60L * k;
      for (long m = end - 59; m <= end; m++) {
        if (m != minute) {
          addInto(m, hours[k]);
        }
      }
    }
    long[] last5 = new long[A_SIZE];
    for (long m = minute - 4; m < minute; m++) {
      addInto(m, last5);
    }
    return new Rollup(minute, last5, hours);
  }

  /** Aggregated windows of one target; see {@link #windows(long)}. */
  public record Windows(long[] last5, long[][] hours) {
    public long[] lastHour() {
      return hours[0];
    }

    public long[] last24h() {
      long[] sum = new long[A_SIZE];
      for (long[] h : hours) {
        merge(sum, h);
      }
      return sum;
    }
  }

  static void merge(long[] into, long[] from) {
    for (int i = 0; i < A_SIZE; i++) {
      into[i] = i == A_QUEUE_MAX ? Math.max(into[i], from[i]) : into[i] + from[i];
    }
  }

  int[] copy() {
    int[] out = new int[data.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (int) INT.getOpaque(data, i);
    }
    return out;
  }

  /**
   * Puts back buckets of a saved ring that are within 24 h of {@code minute} and newer than what
   * this ring holds in their slot.
   */
  void restore(int[] saved, long minute) {
    if (saved.length != data.length) {
      throw new IllegalArgumentException("saved ring has another layout");
    }
    for (int base = 0; base < data.length; base += STRIDE) {
      int stamp = saved[base];
      long m = (long) stamp - 1;
      if (stamp <= 0 || m > minute || m <= minute - SLOTS) {
        continue;
      }
      int mine = (int) INT.getVolatile(data, base);
      if (mine >= stamp || mine < 0 || !INT.compareAndSet(data, base, mine, -stamp)) {
        continue;
      }
      for (int i = 1; i < STRIDE; i++) {
        INT.setOpaque(data, base + i, saved[base + i]);
      }
      INT.setVolatile(data, base, stamp);
    }
    rollup = null;
  }

  static long[] emptyAgg() {
    return new long[A_SIZE];
  }

  static boolean isEmpty(long[] agg) {
    return Arrays.stream(agg).allMatch(v -> v == 0);
  }
}
