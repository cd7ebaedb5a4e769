package io.alerthistory.health;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.function.Supplier;

/** Health metrics; the gauges are read from the monitor at scrape time, so they are never stale. */
final class HealthMetrics {
  private static final List<String> RESULTS = List.of("success", "slow", "failure");

  private final Counter checks;

  HealthMetrics(PrometheusRegistry registry, Supplier<List<TargetHealth>> all) {
    checks =
        Counter.builder()
            .name("alert_history_publishing_health_checks_total")
            .help("Active health probes of targets, by target and result (success, slow, failure).")
            .labelNames("target", "result")
            .register(registry);
    GaugeWithCallback.builder()
        .name("alert_history_publishing_target_health")
        .help("Health of each enabled target: 0 unknown, 1 healthy, 2 degraded, 3 unhealthy.")
        .labelNames("target")
        .callback(
            cb -> {
              for (TargetHealth h : all.get()) {
                cb.call(h.status().gaugeValue(), h.name());
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("alert_history_publishing_health_consecutive_failures")
        .help("Failed probes and delivery attempts in a row, by target.")
        .labelNames("target")
        .callback(
            cb -> {
              for (TargetHealth h : all.get()) {
                cb.call(h.consecutiveFailures(), h.name());
              }
            })
        .register(registry);
  }

  void checked(String target, String result) {
    checks.labelValues(target, result).inc();
  }

  void drop(String target) {
    for (String r : RESULTS) {
      checks.remove(target, r);
    }
  }
}
