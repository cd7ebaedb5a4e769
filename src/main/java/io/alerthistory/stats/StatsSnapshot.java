package io.alerthistory.stats;

import java.time.Instant;
import java.util.Map;

/**
 * A copy of the stats rings, to persist and restore. Each ring is {@code slots × stride} ints in
 * the layout of {@link MinuteRing}; the layout numbers let a store refuse an incompatible save.
 */
public record StatsSnapshot(Instant takenAt, int slots, int stride, Map<String, int[]> rings) {
  public StatsSnapshot {
    rings = Map.copyOf(rings);
  }
}
