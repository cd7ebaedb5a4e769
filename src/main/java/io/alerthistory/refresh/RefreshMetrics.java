package io.alerthistory.refresh;

import io.alerthistory.target.Target;
import io.alerthistory.target.TargetSnapshot;
import io.alerthistory.target.TargetType;
import io.alerthistory.target.source.TargetSourceException.ErrorType;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;
import java.time.Instant;

/** Refresh metrics (DESIGN §4) and the discovery gauges of the snapshot being served. */
final class RefreshMetrics {
  static final String SUCCESS = "success";
  static final String FAILED = "failed";
  private static final String ENABLED = "enabled";
  private static final String DISABLED = "disabled";

  private final Counter refreshes;
  private final Histogram duration;
  private final Counter errors;
  private final Gauge lastSuccess;
  private final Gauge inProgress;
  private final Gauge consecutiveFailures;
  private final Gauge targets;
  private final Gauge invalid;

  RefreshMetrics(PrometheusRegistry registry) {
    refreshes =
        Counter.builder()
            .name("alert_history_publishing_refresh_total")
            .help("Full refreshes of the target list that finished, by status (success, failed).")
            .labelNames("status")
            .register(registry);
    duration =
        Histogram.builder()
            .name("alert_history_publishing_refresh_duration_seconds")
            .help("Duration of full refreshes of the target list, by status.")
            .unit(Unit.SECONDS)
            .labelNames("status")
            .classicOnly()
            .classicUpperBounds(0.1, 0.5, 1, 2, 5, 10, 30, 60)
            .register(registry);
    errors =
        Counter.builder()
            .name("alert_history_publishing_refresh_errors_total")
            .help("Failed full refreshes of the target list, by error type.")
            .labelNames("error_type")
            .register(registry);
    lastSuccess =
        Gauge.builder()
            .name("alert_history_publishing_refresh_last_success_timestamp")
            .help("Unix time in seconds of the last successful full refresh; 0 before any.")
            .register(registry);
    inProgress =
        Gauge.builder()
            .name("alert_history_publishing_refresh_in_progress")
            .help("1 while a full refresh of the target list runs, else 0.")
            .register(registry);
    consecutiveFailures =
        Gauge.builder()
            .name("alert_history_publishing_refresh_consecutive_failures")
            .help("Failed full refreshes since the last success.")
            .register(registry);
    targets =
        Gauge.builder()
            .name("alert_history_publishing_targets")
            .help("Valid targets being served, by type and state (enabled, disabled).")
            .labelNames("type", "state")
            .register(registry);
    invalid =
        Gauge.builder()
            .name("alert_history_publishing_targets_invalid")
            .help("Declared target entries that are invalid and not used.")
            .register(registry);
    // Series exist from the start, so rate() and absent() behave before the first event.
    refreshes.initLabelValues(SUCCESS);
    refreshes.initLabelValues(FAILED);
    duration.initLabelValues(SUCCESS);
    duration.initLabelValues(FAILED);
    for (ErrorType t : ErrorType.values()) {
      errors.initLabelValues(t.label());
    }
    for (TargetType t : TargetType.values()) {
      targets.initLabelValues(t.wireName(), ENABLED);
      targets.initLabelValues(t.wireName(), DISABLED);
    }
  }

  void started() {
    inProgress.set(1);
  }

  void succeeded(Duration took, Instant at) {
    inProgress.set(0);
    refreshes.labelValues(SUCCESS).inc();
    duration.labelValues(SUCCESS).observe(seconds(took));
    lastSuccess.set(at.toEpochMilli() / 1000.0);
    consecutiveFailures.set(0);
  }

  void failed(Duration took, ErrorType type, int failuresInARow) {
    consecutiveFailures.set(failuresInARow);
    inProgress.set(0);
    refreshes.labelValues(FAILED).inc();
    duration.labelValues(FAILED).observe(seconds(took));
    errors.labelValues(type.label()).inc();
  }

  void cancelled() {
    inProgress.set(0);
  }

  void snapshot(TargetSnapshot s) {
    int types = TargetType.values().length;
    int[] enabled = new int[types];
    int[] disabled = new int[types];
    for (Target t : s.targets().values()) {
      if (t.enabled()) {
        enabled[t.type().ordinal()]++;
      } else {
        disabled[t.type().ordinal()]++;
      }
    }
    for (TargetType t : TargetType.values()) {
      targets.labelValues(t.wireName(), ENABLED).set(enabled[t.ordinal()]);
      targets.labelValues(t.wireName(), DISABLED).set(disabled[t.ordinal()]);
    }
    invalid.set(s.invalid().size());
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
