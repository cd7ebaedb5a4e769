package io.alerthistory;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.alerthistory.testing.Resources;
import io.alerthistory.testing.RunningApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After a run of mixed outcomes through the real engine, the stats API and /metrics agree. */
class StatsAgreeWithMetricsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path targets;

  @Test
  void statsRowMatchesThePrometheusCounters() throws Exception {
    WireMockServer sink = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    sink.start();
    // the answer depends on the alert: Ok delivered, Bad rejected (400), Flaky always 503
    sink.stubFor(post(urlPathEqualTo("/in")).willReturn(aResponse().withStatus(200)));
    sink.stubFor(
        post(urlPathEqualTo("/in"))
            .withRequestBody(
                matchingJsonPath(
                    "$.alerts[0].alertname",
                    com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bad")))
            .willReturn(aResponse().withStatus(400).withBody("bad")));
    sink.stubFor(
        post(urlPathEqualTo("/in"))
            .withRequestBody(
                matchingJsonPath(
                    "$.alerts[0].alertname",
                    com.github.tomakehurst.wiremock.client.WireMock.equalTo("Flaky")))
            .willReturn(aResponse().withStatus(503)));
    Files.writeString(
        targets.resolve("t.json"),
        "{\"type\": \"webhook\", \"url\": \"http://127.0.0.1:%d/in\"}".formatted(sink.port()));
    String firing = Resources.repoFile("examples/alerts/firing.json");
    try (RunningApp app =
        RunningApp.start(
            targets,
            Map.of(
                "DEDUP_WINDOW",
                "0s",
                "DELIVERY_MAX_ATTEMPTS",
                "2",
                "DELIVERY_BREAKER_FAILURE_RATE",
                "100"))) {
      for (int i = 0; i < 6; i++) {
        app.postJson("/webhook", firing);
      }
      for (int i = 0; i < 3; i++) {
        app.postJson("/webhook", firing.replace("KubePodCrashLooping", "Bad"));
      }
      app.postJson("/webhook", firing.replace("KubePodCrashLooping", "Flaky"));

      // 6 delivered, 3 dead-lettered after one attempt, 1 dead-lettered after two attempts
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () -> {
                String m = app.get("/metrics").body();
                assertThat(
                        counter(
                            m,
                            "alert_history_publishing_deliveries_total",
                            "outcome=\"delivered\",target=\"t\""))
                    .isEqualTo(6);
                assertThat(
                        counter(
                                m,
                                "alert_history_publishing_dead_letters_total",
                                "reason=\"permanent_failure\",target=\"t\"")
                            + counter(
                                m,
                                "alert_history_publishing_dead_letters_total",
                                "reason=\"attempts_exhausted\",target=\"t\""))
                    .isEqualTo(4);
              });
      String metrics = app.get("/metrics").body();
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                JsonNode row =
                    JSON.readTree(app.get("/api/v2/publishing/stats/t").body()).get("target");
                assertThat(row.get("successes_24h").asLong()).isEqualTo(6);
                assertThat(row.get("attempts_24h").asLong()).isEqualTo(6 + 3 + 2);
                assertThat(row.get("failures_by_reason_24h").get("clientError").asLong())
                    .isEqualTo(
                        counter(
                            metrics,
                            "alert_history_publishing_delivery_failures_total",
                            "reason=\"clientError\",target=\"t\""));
                assertThat(row.get("failures_by_reason_24h").get("serverError").asLong())
                    .isEqualTo(
                        counter(
                            metrics,
                            "alert_history_publishing_delivery_failures_total",
                            "reason=\"serverError\",target=\"t\""))
                    .isEqualTo(2);
                assertThat(row.get("dead_letters_24h").asLong()).isEqualTo(4);
              });
    } finally {
      sink.stop();
    }
  }

  private static long counter(String metrics, String name, String labels) {
    Matcher m =
        Pattern.compile(
                "^" + Pattern.quote(name + "{" + labels) + "[^}]*} ([0-9.]+)$", Pattern.MULTILINE)
            .matcher(metrics);
    return m.find() ? Math.round(Double.parseDouble(m.group(1))) : 0;
  }
}
