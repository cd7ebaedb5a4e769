package io.alerthistory.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;

/** {@code GET /metrics} in the Prometheus text format. */
final class MetricsRoutes implements HttpService {
  private final PrometheusRegistry registry;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  MetricsRoutes(PrometheusRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get(
        "/metrics",
        (req, res) -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
          writer.write(out, registry.scrape());
          res.header(HeaderNames.CONTENT_TYPE, writer.getContentType());
          res.send(out.toByteArray());
        });
  }
}
