package io.alerthistory.format;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alerthistory.alert.Alert;
import io.alerthistory.alert.AlertStatus;
import io.alerthistory.alert.Notification;
import io.alerthistory.attempt.AttemptOutcome;
import io.alerthistory.attempt.FailureReason;
import io.alerthistory.store.InMemoryIncidentStore;
import io.alerthistory.target.Target;
import io.alerthistory.target.TargetType;
import io.alerthistory.testing.LogCapture;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RootlyFormatterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FP = "5a2c6f0e7b1d4c93";
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final InMemoryIncidentStore store = new InMemoryIncidentStore();
  private final RootlyFormatter rootly = new RootlyFormatter(store, registry);
  private final Wire wire = new Wire();
  private final Target target = Fixtures.target(TargetType.ROOTLY, wire.url("/"));
  private final Notification firing = Fixtures.example("firing");
  private final Notification resolved = Fixtures.example("resolved");

  @AfterEach
  void stop() {
    wire.close();
  }

  private AttemptOutcome attempt(Notification n) throws Exception {
    return wire.attempt(rootly, target, n, n.alerts());
  }

  private void createAnswers(int status, String body) {
    wire.server.stubFor(
        post("/v1/incidents")
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/vnd.api+json")
                    .withBody(body)));
  }

  @Test
  void createThenResolveTheSameIncident() throws Exception {
    createAnswers(
        201,
        "{\"data\":{\"id\":\"fbcf3a37-3ff8-4cf0-98bb-00af03ffa9af\",\"type\":\"incidents\",\"attributes\":{\"title\":\"x\",\"status\":\"started\"}}}");
    wire.server.stubFor(
        put("/v1/incidents/fbcf3a37-3ff8-4cf0-98bb-00af03ffa9af/resolve")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody("{\"data\":{\"id\":\"fbcf3a37-3ff8-4cf0-98bb-00af03ffa9af\"}}")));
    try (LogCapture logs = new LogCapture()) {
      assertThat(attempt(firing)).isEqualTo(new AttemptOutcome.Delivered(201));
      assertThat(store.incidentId(target.name(), FP))
          .contains("fbcf3a37-3ff8-4cf0-98bb-00af03ffa9af");
      assertThat(attempt(resolved)).isEqualTo(new AttemptOutcome.Delivered(200));
      assertThat(store.incidentId(target.name(), FP)).isEmpty();
      assertThat(logs.text()).doesNotContain(Fixtures.ROOTLY_TOKEN);
    }
    wire.server.verify(
        postRequestedFor(urlEqualTo("/v1/incidents"))
            .withHeader("Authorization", equalTo("Bearer " + Fixtures.ROOTLY_TOKEN))
            .withHeader("Content-Type", equalTo("application/vnd.api+json"))
            .withRequestBody(
                equalToJson(
                    """
                    {"data": {"type": "incidents", "attributes": {
                      "title": "KubePodCrashLooping: Pod is crash looping.",
                      "severity_id": "sev0",
                      "labels": {"alertname": "KubePodCrashLooping", "container": "api", "namespace": "payments",
                                 "pod": "api-7d9f8b6c5-x2x4k", "severity": "critical"}}}}
                    """,
                    false,
                    true)));
    wire.server.verify(
        putRequestedFor(urlEqualTo("/v1/incidents/fbcf3a37-3ff8-4cf0-98bb-00af03ffa9af/resolve"))
            .withHeader("Authorization", equalTo("Bearer " + Fixtures.ROOTLY_TOKEN))
            .withHeader("Content-Type", equalTo("application/vnd.api+json"))
            .withRequestBody(
                equalToJson(
                    "{\"data\":{\"type\":\"incidents\",\"attributes\":{\"resolution_message\":\"KubePodCrashLooping resolved in Alertmanager at 2026-11-23T09:31:34.512Z\"}}}")));
  }

  @Test
  void aRepeatedFiringAlertDoesNotOpenASecondIncident() throws Exception {
    store.put(target.name(), FP, "inc-1");
    assertThat(attempt(firing)).isEqualTo(new AttemptOutcome.Delivered(0));
    wire.server.verify(0, anyRequestedFor(anyUrl()));
  }

  @Test
  void aResolutionWithNoKnownIncidentIsLoggedCountedAndPermanent() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      AttemptOutcome outcome = attempt(resolved);
      assertThat(outcome)
          .isEqualTo(
              new AttemptOutcome.DeadLetter(
                  FailureReason.CLIENT_ERROR, 0, "no Rootly incident is known for this alert"));
      assertThat(logs.text())
          .contains("resolved alert has no known Rootly incident")
          .contains("fingerprint=" + FP)
          .doesNotContain(Fixtures.ROOTLY_TOKEN);
    }
    wire.server.verify(0, anyRequestedFor(anyUrl()));
    assertThat(
            Fixtures.counter(
                registry,
                "alert_history_publishing_rootly_unknown_incident_total",
                "target",
                target.name()))
        .isEqualTo(1.0);
  }

  @Test
  void answersMapToOutcomes() throws Exception {
    createAnswers(
        401, "{\"errors\":[{\"title\":\"token " + Fixtures.ROOTLY_TOKEN + " is not valid\"}]}");
    AttemptOutcome auth = attempt(firing);
    assertThat(auth).isInstanceOf(AttemptOutcome.DeadLetter.class);
    assertThat(((AttemptOutcome.DeadLetter) auth).reason()).isEqualTo(FailureReason.AUTH_ERROR);
    assertThat(((AttemptOutcome.DeadLetter) auth).detail())
        .contains("token *** is not valid")
        .doesNotContain(Fixtures.ROOTLY_TOKEN);

    createAnswers(422, "{\"errors\":[{\"title\":\"Severity not found\"}]}");
    assertThat(attempt(firing))
        .isEqualTo(
            new AttemptOutcome.DeadLetter(
                FailureReason.CLIENT_ERROR,
                422,
                "{\"errors\":[{\"title\":\"Severity not found\"}]}"));

    wire.server.stubFor(
        post("/v1/incidents")
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "12")));
    assertThat(attempt(firing))
        .isEqualTo(
            new AttemptOutcome.Retry(FailureReason.RATE_LIMITED, 429, Duration.ofSeconds(12), ""));

    createAnswers(503, "busy");
    assertThat(attempt(firing))
        .isEqualTo(new AttemptOutcome.Retry(FailureReason.SERVER_ERROR, 503, null, "busy"));
    assertThat(store.size()).isZero();
  }

  @Test
  void aCreateAnswerWithoutAnIdIsDeliveredButRemembersNothing() throws Exception {
    createAnswers(201, "{\"meta\":{}}");
    try (LogCapture logs = new LogCapture()) {
      assertThat(attempt(firing)).isEqualTo(new AttemptOutcome.Delivered(201));
      assertThat(logs.text()).contains("no data.id");
    }
    assertThat(store.size()).isZero();
  }

  @Test
  void aResolveOfAnIncidentRootlyNoLongerHasForgetsIt() throws Exception {
    store.put(target.name(), FP, "gone");
    wire.server.stubFor(
        put("/v1/incidents/gone/resolve")
            .willReturn(aResponse().withStatus(404).withBody("{\"errors\":[]}")));
    AttemptOutcome outcome = attempt(resolved);
    assertThat(outcome).isInstanceOf(AttemptOutcome.DeadLetter.class);
    assertThat(store.incidentId(target.name(), FP)).isEqualTo(Optional.empty());
  }

  @Test
  void theIncidentIdIsReadFromTheStartOfALongOrCutAnswer() {
    assertThat(
            RootlyFormatter.incidentId(
                "{\"data\":{\"type\":\"incidents\",\"id\":\"abc\",\"attributes\":{\"title\":\"cut he"))
        .isEqualTo("abc");
    assertThat(RootlyFormatter.incidentId("{\"links\":{},\"data\":{\"id\":42}}")).isEqualTo("42");
    assertThat(RootlyFormatter.incidentId("not json")).isNull();
    assertThat(RootlyFormatter.incidentId("{\"data\":[{\"id\":\"x\"}]}")).isNull();
  }

  @Test
  void endpointsKeepTheBasePathAndDropTrailingSlashes() {
    assertThat(
            RootlyFormatter.endpoint(
                Fixtures.target(TargetType.ROOTLY, "https://api.rootly.com/"), "/v1/incidents"))
        .hasToString("https://api.rootly.com/v1/incidents");
    assertThat(
            RootlyFormatter.endpoint(
                Fixtures.target(TargetType.ROOTLY, "http://proxy:8080/rootly"), "/v1/incidents"))
        .hasToString("http://proxy:8080/rootly/v1/incidents");
  }

  @Test
  void atMostTwentyLabelsAndSeverityFollowsTheMapping() throws Exception {
    Map<String, String> labels = new HashMap<>();
    for (int i = 0; i < 30; i++) {
      labels.put(String.format("l%02d", i), "v" + i);
    }
    labels.put("alertname", "Many");
    labels.put("severity", "warning");
    Alert a = new Alert(AlertStatus.FIRING, labels, Map.of(), "2026-11-23T09:00:00Z", "", "", "f1");
    JsonNode body = JSON.readTree(rootly.render(Fixtures.notification(List.of(a)), List.of(a)));
    assertThat(body.at("/data/attributes/labels").size()).isEqualTo(20);
    assertThat(body.at("/data/attributes/labels/alertname").asText()).isEqualTo("Many");
    assertThat(body.at("/data/attributes/severity_id").asText()).isEqualTo("sev2");
  }
}
