package io.alerthistory.stats;

import java.time.Duration;

/**
 * Settings of the stats, score and trend rules (see docs/stats.md).
 *
 * @param latencySlo the receive-to-delivered p95 a target should stay under; the score's latency
 *     term is {@code 1 - min(1, p95 / latencySlo)}
 * @param refreshInterval {@code TARGET_REFRESH_INTERVAL}; a snapshot older than twice this is stale
 */
public record StatsSettings(Duration latencySlo, Duration refreshInterval) {
  public static StatsSettings defaults() {
    return new StatsSettings(Duration.ofSeconds(30), Duration.ofMinutes(5));
  }
}
