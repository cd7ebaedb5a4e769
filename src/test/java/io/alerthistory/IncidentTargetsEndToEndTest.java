package io.alerthistory;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.alerthistory.testing.FakeRootly;
import io.alerthistory.testing.LogCapture;
import io.alerthistory.testing.Resources;
import io.alerthistory.testing.RunningApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PagerDuty and Rootly targets through the whole service: firing opens, resolved closes. */
class IncidentTargetsEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROUTING_KEY = "R0UT1NGKEY0000000000000000000000";
  private static final String ROOTLY_TOKEN = "rootly-t0ken-123456";
  @TempDir Path targets;

  @Test
  void firingThenResolvedTriggersAndResolvesTheSameIncident() throws Exception {
    WireMockServer api = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    api.start();
    api.stubFor(
        post(urlPathEqualTo("/v2/enqueue"))
            .willReturn(aResponse().withStatus(202).withBody("{\"status\":\"success\"}")));
    FakeRootly rootly = FakeRootly.on(api);
    Files.writeString(
        targets.resolve("pd.json"),
        "{\"type\": \"pagerduty\", \"url\": \"http://127.0.0.1:%d/v2/enqueue\", \"routing_key\": \"%s\"}"
            .formatted(api.port(), ROUTING_KEY));
    rootly.writeTarget(targets.resolve("rootly.json"), ROOTLY_TOKEN);
    try (LogCapture logs = new LogCapture();
        RunningApp app = RunningApp.start(targets, Map.of())) {
      assertThat(
              app.postJson("/webhook", Resources.repoFile("examples/alerts/firing.json"))
                  .statusCode())
          .isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  rootly.creates() == 1
                      && api.findAll(postRequestedFor(urlPathEqualTo("/v2/enqueue"))).size() == 1);

      assertThat(
              app.postJson("/webhook", Resources.repoFile("examples/alerts/resolved.json"))
                  .statusCode())
          .isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  rootly.resolves() == 1
                      && api.findAll(postRequestedFor(urlPathEqualTo("/v2/enqueue"))).size() == 2);

      List<JsonNode> events =
          api.findAll(postRequestedFor(urlPathEqualTo("/v2/enqueue"))).stream()
              .map(r -> read(r.getBodyAsString()))
              .toList();
      assertThat(events)
          .extracting(e -> e.get("event_action").asText())
          .containsExactly("trigger", "resolve");
      assertThat(events)
          .extracting(e -> e.get("dedup_key").asText())
          .containsOnly("5a2c6f0e7b1d4c93");
      assertThat(events).extracting(e -> e.get("routing_key").asText()).containsOnly(ROUTING_KEY);
      assertThat(
              api.findAll(postRequestedFor(urlPathEqualTo("/v1/incidents")))
                  .getFirst()
                  .getHeader("Authorization"))
          .isEqualTo("Bearer " + ROOTLY_TOKEN);

      String visible =
          logs.text()
              + app.get("/api/v2/publishing/targets").body()
              + app.get("/metrics").body()
              + app.get("/api/v2/alerts/5a2c6f0e7b1d4c93/deliveries").body();
      assertThat(visible).doesNotContain(ROUTING_KEY).doesNotContain(ROOTLY_TOKEN);
    } finally {
      api.stop();
    }
  }

  private static JsonNode read(String body) {
    try {
      return JSON.readTree(body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
