package io.alerthistory.stats;

import io.alerthistory.health.HealthStatus;

/**
 * The health score of docs/stats.md, 0 to 100:
 *
 * <pre>
 * 100 · (0.4·S + 0.3·A + 0.2·(1 − min(1, p95 / SLO)) + 0.1·(1 − backlog_fill)) − refresh penalty
 * </pre>
 */
final class HealthScore {
  static final double REFRESH_PENALTY = 20;

  private HealthScore() {}

  /** Availability: from the health status, times the circuit's share of open traffic. */
  static double availability(HealthStatus health, LaneState.Circuit circuit) {
    double h =
        switch (health) {
          case HEALTHY -> 1.0;
          case DEGRADED, UNKNOWN -> 0.5;
          case UNHEALTHY -> 0.0;
        };
    double c =
        switch (circuit) {
          case CLOSED -> 1.0;
          case HALF_OPEN -> 0.5;
          case OPEN -> 0.0;
        };
    return h * c;
  }

  /**
   * The score before the refresh penalty.
   *
   * @param successRate1h success rate of the last hour; null (no traffic) counts as 1
   * @param p95Seconds p95 latency of the last hour; null (no deliveries) counts as 0
   */
  static double target(
      Double successRate1h,
      double availability,
      Double p95Seconds,
      double sloSeconds,
      double backlogFill) {
    double s = successRate1h == null ? 1.0 : successRate1h;
    double l = p95Seconds == null ? 1.0 : 1 - Math.min(1, p95Seconds / sloSeconds);
    return 100 * (0.4 * s + 0.3 * availability + 0.2 * l + 0.1 * (1 - backlogFill));
  }

  static double withPenalty(double score, boolean refreshStale) {
    double out = refreshStale ? score - REFRESH_PENALTY : score;
    return round(Math.max(0, Math.min(100, out)));
  }

  static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
