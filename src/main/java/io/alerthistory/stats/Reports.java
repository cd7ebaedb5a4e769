package io.alerthistory.stats;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.alerthistory.health.HealthStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The answers of the stats endpoints; absent figures (no traffic) are written as null. The list
 * answers carry no generation time, so their ETag changes only when a figure does.
 */
public final class Reports {
  private Reports() {}

  /** Snake case with a window suffix split off: {@code successRate5m} → {@code success_rate_5m}. */
  public static final class Naming extends PropertyNamingStrategies.NamingBase {
    private static final PropertyNamingStrategies.NamingBase SNAKE =
        (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    @Override
    public String translate(String name) {
      return SNAKE.translate(name).replaceAll("(?<=[a-z]{2})(?=\\d)", "_");
    }
  }

  /** {@code GET /api/v2/publishing/stats}. */
  @JsonNaming(Reports.Naming.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Stats(Totals totals, List<TargetRow> targets) {}

  /** Sums over the enabled targets of the answer's rows. */
  @JsonNaming(Reports.Naming.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Totals(
      int targets,
      long attempts1h,
      long attempts24h,
      long successes24h,
      long failures24h,
      Double successRate5m,
      Double successRate1h,
      Double successRate24h,
      Map<String, Long> failuresByReason24h,
      long deadLetters24h,
      long rateLimited24h,
      long queueDepth,
      double score) {}

  /** Latency of deliveries that succeeded, accept to done, in seconds. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Latency(Double p50, Double p95, Double p99) {}

  /** One target's row. */
  @JsonNaming(Reports.Naming.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record TargetRow(
      String name,
      String type,
      boolean enabled,
      HealthStatus health,
      double score,
      Double successRate5m,
      Double successRate1h,
      Double successRate24h,
      Latency latency1h,
      Latency latency24h,
      long attempts1h,
      long attempts24h,
      long successes24h,
      long failures24h,
      Map<String, Long> failuresByReason24h,
      long rateLimited24h,
      long deadLetters24h,
      int queueDepth,
      long queueDepthMax1h,
      double oldestQueuedAgeSeconds,
      String circuitState) {}

  /** One hour of a target's history; {@code hours_ago} 0 is the last 60 minutes. */
  @JsonNaming(Reports.Naming.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Hour(
      int hoursAgo,
      long attempts,
      long successes,
      long failures,
      long deadLetters,
      long rateLimited,
      Double p95LatencySeconds) {}

  /** {@code GET /api/v2/publishing/stats/{target}}. */
  @JsonNaming(Reports.Naming.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record TargetDetail(
      @JsonSerialize(using = ToStringSerializer.class) Instant generatedAt,
      TargetRow target,
      Trend trend,
      List<Hour> hourly) {}

  /** {@code GET /api/v2/publishing/health}. */
  @JsonNaming(Reports.Naming.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Health(
      HealthStatus status,
      double score,
      int targets,
      Map<String, Integer> targetsByHealth,
      boolean refreshStale,
      long snapshotAgeSeconds,
      int refreshConsecutiveFailures,
      List<TargetScore> lowest) {}

  /** A target's score, for the list of the lowest. */
  public record TargetScore(String name, double score, HealthStatus health) {}

  /** {@code GET /api/v2/publishing/trends}. */
  @JsonNaming(Reports.Naming.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Trends(List<Trend> targets) {}

  /** One target's last hour against the 23 hours before it. */
  @JsonNaming(Reports.Naming.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Trend(
      String name,
      String type,
      Direction successRate,
      Direction p95Latency,
      Direction volume,
      Spike errorSpike) {}

  /**
   * A comparison: {@code trend} is improving, stable or degrading (volume: growing, stable,
   * shrinking), or unknown with too little traffic.
   */
  @JsonNaming(Reports.Naming.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Direction(String trend, Double lastHour, Double baseline) {
    public Direction {
      lastHour = Aggregates.round4(lastHour);
      baseline = Aggregates.round4(baseline);
    }
  }

  /** Whether the last hour's error rate is over {@code threshold} = mean + max(3σ, 0.02). */
  @JsonNaming(Reports.Naming.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Spike(
      boolean detected, Double errorRate, Double mean, Double stddev, Double threshold) {
    public Spike {
      errorRate = Aggregates.round4(errorRate);
      mean = Aggregates.round4(mean);
      stddev = Aggregates.round4(stddev);
      threshold = Aggregates.round4(threshold);
    }
  }
}
