package io.alerthistory.ingest;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Ingest counters: alerts accepted, and payloads rejected by reason. */
final class IngestMetrics {
  private final Counter received;
  private final Counter invalid;

  IngestMetrics(PrometheusRegistry registry) {
    received =
        Counter.builder()
            .name("alert_history_alerts_received_total")
            .help("Alerts in notifications accepted by the webhook.")
            .register(registry);
    invalid =
        Counter.builder()
            .name("alert_history_alerts_invalid_total")
            .help(
                "Webhook payloads rejected, by reason (malformed_json, invalid_payload, too_large,"
                    + " unsupported_media_type).")
            .labelNames("reason")
            .register(registry);
    for (String reason :
        new String[] {"malformed_json", "invalid_payload", "too_large", "unsupported_media_type"}) {
      invalid.labelValues(reason);
    }
  }

  void accepted(int alerts) {
    received.inc(alerts);
  }

  void rejected(String reason) {
    invalid.labelValues(reason).inc();
  }
}
