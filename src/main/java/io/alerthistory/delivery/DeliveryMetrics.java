package io.alerthistory.delivery;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;

/** Delivery metrics: outcomes, failures by reason, and receive-to-done latency. */
public final class DeliveryMetrics {
  private final Counter deliveries;
  private final Counter failures;
  private final Histogram latency;

  public DeliveryMetrics(PrometheusRegistry registry) {
    deliveries =
        Counter.builder()
            .name("alert_history_publishing_deliveries_total")
            .help(
                "Deliveries finished, by target, target type and outcome (delivered, failed, abandoned).")
            .labelNames("target", "type", "outcome")
            .register(registry);
    failures =
        Counter.builder()
            .name("alert_history_publishing_delivery_failures_total")
            .help("Failed delivery attempts, by target and reason.")
            .labelNames("target", "reason")
            .register(registry);
    latency =
        Histogram.builder()
            .name("alert_history_publishing_delivery_latency_seconds")
            .help(
                "Time from accepting a notification to its delivery finishing, by target and type.")
            .unit(Unit.SECONDS)
            .labelNames("target", "type")
            .classicOnly()
            .classicUpperBounds(
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)
            .register(registry);
  }

  void finished(Delivery d, String outcome, Duration sinceReceived) {
    String target = d.target().name();
    String type = d.target().type().wireName();
    deliveries.labelValues(target, type, outcome).inc();
    latency.labelValues(target, type).observe(sinceReceived.toNanos() / 1e9);
  }

  void attemptFailed(Delivery d, FailureReason reason) {
    failures.labelValues(d.target().name(), reason.label()).inc();
  }
}
