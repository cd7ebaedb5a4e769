package io.alerthistory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alerthistory.testing.Resources;
import io.alerthistory.testing.RunningApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /metrics output passes `promtool check metrics` (Debian package prometheus). */
class MetricsExpositionTest {
  @TempDir Path targets;

  @Test
  void promtoolAcceptsTheMetrics() throws Exception {
    Files.writeString(targets.resolve("log.yaml"), "type: log\n");
    String metrics;
    try (RunningApp app = RunningApp.start(targets, Map.of())) {
      app.postJson("/webhook", Resources.repoFile("examples/alerts/grouped.json"));
      app.postJson("/webhook", "{}");
      // the delivery to the log target runs after the webhook's answer
      metrics =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> app.get("/metrics").body(),
                  body ->
                      body.contains(
                          "alert_history_publishing_deliveries_total{outcome=\"delivered\","
                              + "target=\"log\",type=\"log\"} 1.0"));
    }
    assertThat(metrics)
        .contains("alert_history_alerts_received_total 3.0")
        .contains("alert_history_publishing_delivery_latency_seconds_bucket")
        .contains("alert_history_publishing_deliveries_total")
        .contains("alert_history_publishing_queue_depth{target=\"log\"}")
        .contains("alert_history_publishing_queue_oldest_age_seconds{target=\"log\"}")
        .contains("alert_history_publishing_circuit_state{target=\"log\"} 0.0")
        .contains("alert_history_publishing_pacer_waits_total{target=\"log\"}")
        .contains("alert_history_publishing_dead_letter_queue_size");

    Process promtool =
        new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    promtool.getOutputStream().write(metrics.getBytes(StandardCharsets.UTF_8));
    promtool.getOutputStream().close();
    String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(promtool.exitValue()).as(output).isZero();
  }
}
