package io.alerthistory.stats;

import io.alerthistory.attempt.FailureReason;
import java.time.InstantSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-minute delivery counters per target, 24 hours deep (DESIGN §9). Recording takes no lock and
 * allocates nothing once a target's ring exists; the minute comes from the injected clock.
 */
public final class DeliveryStats implements DeliveryObserver {
  private final InstantSource clock;
  private final Map<String, MinuteRing> rings = new ConcurrentHashMap<>();

  public DeliveryStats(InstantSource clock) {
    this.clock = clock;
  }

  private MinuteRing ring(String target) {
    MinuteRing r = rings.get(target);
    return r != null ? r : rings.computeIfAbsent(target, t -> new MinuteRing());
  }

  private long minute() {
    return MinuteRing.minuteOf(clock.millis());
  }

  @Override
  public void attempt(String target, long latencyNanos) {
    ring(target).add(minute(), MinuteRing.ATTEMPTS, 1);
  }

  @Override
  public void delivered(String target, long receiveToDoneNanos) {
    MinuteRing r = ring(target);
    long m = minute();
    r.add(m, MinuteRing.SUCCESSES, 1);
    r.addLatency(m, receiveToDoneNanos);
  }

  @Override
  public void failed(String target, FailureReason reason) {
    ring(target).addFailure(minute(), reason);
  }

  @Override
  public void deadLettered(String target) {
    ring(target).addDead(minute());
  }

  @Override
  public void rateLimited(String target) {
    ring(target).addRateLimited(minute());
  }

  @Override
  public void queueDepth(String target, int depth) {
    ring(target).maxQueue(minute(), depth);
  }

  /** Keeps only the rings of {@code targets}; call with the registry's names on each change. */
  public void retain(Collection<String> targets) {
    Set<String> keep = Set.copyOf(targets);
    rings.keySet().removeIf(name -> !keep.contains(name));
  }

  /** The target's windows now; empty windows when nothing was recorded for it. */
  public MinuteRing.Windows windows(String target) {
    MinuteRing r = rings.get(target);
    long m = minute();
    return r == null ? EMPTY.windows(m) : r.windows(m);
  }

  private static final MinuteRing EMPTY = new MinuteRing();

  /** A copy of every ring, for a durable store. */
  public StatsSnapshot snapshot() {
    Map<String, int[]> out = new HashMap<>();
    rings.forEach((name, r) -> out.put(name, r.copy()));
    return new StatsSnapshot(clock.instant(), MinuteRing.SLOTS, MinuteRing.STRIDE, out);
  }

  /** Puts back the buckets of a snapshot that are still within the last 24 hours. */
  public void restore(StatsSnapshot s) {
    if (s.slots() != MinuteRing.SLOTS || s.stride() != MinuteRing.STRIDE) {
      throw new IllegalArgumentException(
          "stats snapshot layout " + s.slots() + "x" + s.stride() + " is not this version's");
    }
    long m = minute();
    s.rings().forEach((name, data) -> ring(name).restore(data, m));
  }
}
