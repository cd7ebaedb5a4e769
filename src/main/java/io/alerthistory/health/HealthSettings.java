package io.alerthistory.health;

import java.time.Duration;

/**
 * Health monitoring settings (see docs/stats.md).
 *
 * @param interval time between active probe rounds ({@code HEALTH_CHECK_INTERVAL})
 * @param timeout bound of one probe
 * @param slowThreshold a check or delivery attempt at least this slow makes the target degraded
 * @param staleAfter with no check or outcome for this long the status is unknown
 * @param unhealthyAfter consecutive failures that make a target unhealthy
 * @param concurrency probes running at once
 */
public record HealthSettings(
    Duration interval,
    Duration timeout,
    Duration slowThreshold,
    Duration staleAfter,
    int unhealthyAfter,
    int concurrency) {

  public static HealthSettings defaults() {
    return new HealthSettings(
        Duration.ofMinutes(2),
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        Duration.ofMinutes(10),
        3,
        8);
  }

  public HealthSettings withInterval(Duration d) {
    return new HealthSettings(d, timeout, slowThreshold, staleAfter, unhealthyAfter, concurrency);
  }

  public HealthSettings withSlowThreshold(Duration d) {
    return new HealthSettings(interval, timeout, d, staleAfter, unhealthyAfter, concurrency);
  }
}
