package io.alerthistory.format;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.alerthistory.alert.Alert;
import io.alerthistory.alert.AlertStatus;
import io.alerthistory.alert.Notification;
import io.alerthistory.attempt.AttemptOutcome;
import io.alerthistory.attempt.FailureReason;
import io.alerthistory.target.Target;
import io.alerthistory.target.TargetType;
import io.alerthistory.testing.LogCapture;
import io.alerthistory.testing.Resources;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PagerDutyFormatterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PATH = "/v2/enqueue";
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PagerDutyFormatter pd = new PagerDutyFormatter(registry);
  private final Wire wire = new Wire();
  private final Target target = Fixtures.target(TargetType.PAGERDUTY, wire.url(PATH));

  @AfterEach
  void stop() {
    wire.close();
  }

  private static JsonNode schema() throws Exception {
    return JSON.readTree(Resources.testResource("schema/pagerduty-events-v2.json"));
  }

  private byte[] body(Notification n, Alert a) {
    return ((Prepared.Send) pd.prepare(target, n, List.of(a))).request().body();
  }

  @ParameterizedTest
  @ValueSource(strings = {"firing", "resolved", "grouped", "fifteen", "huge"})
  void everyGoldenEventIsValidAgainstTheSchema(String name) throws Exception {
    JsonNode golden =
        JSON.readTree(Path.of("src/test/resources/golden/pagerduty", name + ".json").toFile());
    assertThat(golden.size()).isPositive();
    for (JsonNode request : golden) {
      assertThat(SmallSchema.violations(schema(), request.get("body"))).isEmpty();
    }
  }

  @Test
  void theSchemaCheckCatchesWhatPagerDutyRejects() throws Exception {
    Notification n = Fixtures.example("firing");
    ObjectNode event = (ObjectNode) JSON.readTree(body(n, n.alerts().getFirst()));
    ((ObjectNode) event.get("payload")).put("severity", "fatal");
    ((ObjectNode) event.get("payload")).put("summary", "x".repeat(1025));
    event.put("dedup_key", "k".repeat(256));
    assertThat(SmallSchema.violations(schema(), event))
        .containsExactlyInAnyOrder(
            "$.dedup_key: longer than 255 (256)",
            "$.payload.summary: longer than 1024 (1025)",
            "$.payload.severity: \"fatal\" not in [\"critical\",\"error\",\"warning\",\"info\"]");
    event.remove("payload");
    assertThat(SmallSchema.violations(schema(), event)).contains("$: missing payload");
  }

  @Test
  void aMegabyteOfAnnotationsIsTrimmedUnder512KilobytesAndStaysValid() throws Exception {
    Map<String, String> annotations = new HashMap<>();
    annotations.put("summary", "Disk is full");
    annotations.put("description", Fixtures.text(700 * 1024, 3));
    annotations.put("dump", Fixtures.text(300 * 1024, 5));
    annotations.put("runbook_url", "https://runbooks.example.com/disk");
    Alert a =
        new Alert(
            AlertStatus.FIRING,
            Map.of("alertname", "DiskFull", "severity", "high", "instance", "db-1:9100"),
            annotations,
            "2026-11-23T09:00:00Z",
            "",
            "http://prometheus:9090/graph",
            "d15cf011d15cf011");
    byte[] event = body(Fixtures.notification(List.of(a)), a);
    assertThat(event.length).isLessThanOrEqualTo(512 * 1024).isGreaterThan(500 * 1024);
    JsonNode json = JSON.readTree(event);
    assertThat(SmallSchema.violations(schema(), json)).isEmpty();
    JsonNode details = json.at("/payload/custom_details");
    assertThat(details.at("/annotations/description").asText()).endsWith(Texts.TRUNCATED);
    assertThat(details.at("/annotations/summary").asText()).isEqualTo("Disk is full");
    assertThat(details.at("/labels/alertname").asText()).isEqualTo("DiskFull");
    assertThat(json.at("/payload/severity").asText()).isEqualTo("error");
    assertThat(json.at("/links/1/href").asText()).isEqualTo("https://runbooks.example.com/disk");
    assertThat(
            Fixtures.counter(
                registry, "alert_history_publishing_payload_trimmed_total", "format", "pagerduty"))
        .isEqualTo(1.0);
  }

  @Test
  void firingThenResolvedSendsTriggerThenResolveWithOneDedupKey() throws Exception {
    wire.server.stubFor(
        post(PATH).willReturn(aResponse().withStatus(202).withBody("{\"status\":\"success\"}")));
    Notification firing = Fixtures.example("firing");
    Notification resolved = Fixtures.example("resolved");
    assertThat(wire.attempt(pd, target, firing, firing.alerts()))
        .isEqualTo(new AttemptOutcome.Delivered(202));
    assertThat(wire.attempt(pd, target, resolved, resolved.alerts()))
        .isEqualTo(new AttemptOutcome.Delivered(202));
    List<LoggedRequest> sent = wire.server.findAll(postRequestedFor(urlEqualTo(PATH)));
    assertThat(sent).hasSize(2);
    JsonNode trigger = JSON.readTree(sent.get(0).getBody());
    JsonNode resolve = JSON.readTree(sent.get(1).getBody());
    assertThat(trigger.get("event_action").asText()).isEqualTo("trigger");
    assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
    assertThat(resolve.get("dedup_key")).isEqualTo(trigger.get("dedup_key"));
    assertThat(trigger.get("dedup_key").asText()).isEqualTo("5a2c6f0e7b1d4c93");
    assertThat(resolve.get("routing_key").asText()).isEqualTo(Fixtures.ROUTING_KEY);
    assertThat(resolve.size()).isEqualTo(3);
    wire.server.verify(
        postRequestedFor(urlEqualTo(PATH))
            .withHeader("Content-Type", equalTo("application/json"))
            .withRequestBody(
                equalToJson("{\"routing_key\":\"" + Fixtures.ROUTING_KEY + "\"}", true, true)));
  }

  @Test
  void answersMapToOutcomesAndNeverCarryTheRoutingKey() throws Exception {
    Notification n = Fixtures.example("firing");
    try (LogCapture logs = new LogCapture()) {
      wire.server.stubFor(
          post(PATH)
              .willReturn(
                  aResponse()
                      .withStatus(400)
                      .withBody(
                          "{\"status\":\"invalid event\",\"errors\":[\"routing_key "
                              + Fixtures.ROUTING_KEY
                              + " is unknown\"]}")));
      AttemptOutcome bad = wire.attempt(pd, target, n, n.alerts());
      assertThat(bad).isInstanceOf(AttemptOutcome.DeadLetter.class);
      assertThat(((AttemptOutcome.DeadLetter) bad).reason()).isEqualTo(FailureReason.CLIENT_ERROR);
      assertThat(((AttemptOutcome.DeadLetter) bad).detail())
          .contains("***")
          .doesNotContain(Fixtures.ROUTING_KEY);

      wire.server.stubFor(
          post(PATH).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")));
      assertThat(wire.attempt(pd, target, n, n.alerts()))
          .isEqualTo(
              new AttemptOutcome.Retry(FailureReason.RATE_LIMITED, 429, Duration.ofSeconds(7), ""));

      for (int status : new int[] {500, 502, 503}) {
        wire.server.stubFor(post(PATH).willReturn(aResponse().withStatus(status)));
        assertThat(wire.attempt(pd, target, n, n.alerts()))
            .isEqualTo(new AttemptOutcome.Retry(FailureReason.SERVER_ERROR, status, null, ""));
      }
      assertThat(logs.text()).doesNotContain(Fixtures.ROUTING_KEY);
    }
    assertThat(target.toString()).doesNotContain(Fixtures.ROUTING_KEY);
    var req = ((Prepared.Send) pd.prepare(target, n, n.alerts())).request();
    assertThat(req.toString()).doesNotContain(Fixtures.ROUTING_KEY);
  }

  @Test
  void severitiesAndSourceFollowTheLabels() {
    Notification n = Fixtures.example("grouped");
    assertThat(PagerDutyFormatter.source(n, n.alerts().getFirst())).isEqualTo("10.0.3.17:9100");
    Alert bare =
        new Alert(
            AlertStatus.FIRING,
            Map.of("alertname", "X", "severity", "page"),
            Map.of(),
            "2026-11-23T09:00:00Z",
            "",
            "",
            "f");
    assertThat(PagerDutyFormatter.source(n, bare)).isEqualTo("alertmanager.monitoring.svc");
    assertThat(Severity.of(bare)).isEqualTo(Severity.INFO);
  }

  @Test
  void renderWithoutATargetLeavesTheRoutingKeyOut() throws Exception {
    Notification n = Fixtures.example("firing");
    assertThat(JSON.readTree(pd.render(n, n.alerts())).has("routing_key")).isFalse();
    assertThat(Files.exists(Path.of("src/test/resources/schema/pagerduty-events-v2.json")))
        .isTrue();
  }
}
