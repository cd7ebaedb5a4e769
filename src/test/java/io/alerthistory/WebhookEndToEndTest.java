package io.alerthistory;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.alerthistory.testing.LogCapture;
import io.alerthistory.testing.Resources;
import io.alerthistory.testing.RunningApp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server on loopback, file-declared targets pointing at WireMock, the example payloads.
 */
class WebhookEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String URL_PASSWORD = "pa55word-url";
  private static final String QUERY_TOKEN = "qs-secret-123";
  private static final String HEADER_TOKEN = "hdr-secret-456";
  private static final String API_KEY = "key-secret-789";
  private static final String INVALID_SECRET = "invalid-hdr-secret-000";

  private static WireMockServer sink;
  private static LogCapture logs;
  private static RunningApp app;
  @TempDir static Path targets;

  @BeforeAll
  static void start() throws Exception {
    sink = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    sink.start();
    String base = "http://127.0.0.1:" + sink.port();
    Files.writeString(
        targets.resolve("hook.json"),
        """
        {"name": "hook", "type": "webhook", "format": "webhook",
         "url": "http://ops:%s@127.0.0.1:%d/hook?token=%s",
         "headers": {"X-Team-Token": "%s"},
         "filter": ["severity=~critical|warning", "namespace!=dev"]}
        """
            .formatted(URL_PASSWORD, sink.port(), QUERY_TOKEN, HEADER_TOKEN));
    String amConfig =
        """
        {"type": "webhook", "format": "alertmanager", "url": "%s/am", "filter": ["severity=critical"]}
        """
            .formatted(base);
    Files.writeString(
        targets.resolve("am.yaml"),
        """
        apiVersion: v1
        kind: Secret
        metadata:
          name: am
          namespace: monitoring
          labels: {publishing-target: "true"}
        data:
          config: %s
        """
            .formatted(
                Base64.getEncoder().encodeToString(amConfig.getBytes(StandardCharsets.UTF_8))));
    Files.writeString(
        targets.resolve("rejecting.json"),
        """
        {"type": "webhook", "url": "%s/reject", "headers": {"X-Api-Key": "%s"},
         "filter": ["alertname=KubePodCrashLooping"]}
        """
            .formatted(base, API_KEY));
    Files.writeString(
        targets.resolve("z-duplicate.json"),
        """
        {"name": "hook", "type": "webhook", "url": "%s/other"}
        """
            .formatted(base));
    Files.writeString(
        targets.resolve("bad-url.json"),
        """
        {"type": "webhook", "url": "ftp://%s@files.example.com/x", "headers": {"X": "%s"}}
        """
            .formatted(INVALID_SECRET, INVALID_SECRET));
    sink.stubFor(post(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
    sink.stubFor(post(urlPathEqualTo("/am")).willReturn(aResponse().withStatus(200)));
    sink.stubFor(
        post(urlPathEqualTo("/reject"))
            .willReturn(aResponse().withStatus(400).withBody("invalid key " + API_KEY)));
    logs = new LogCapture();
    // every test posts the same example; dedup would rightly hold back the repeats
    app = RunningApp.start(targets, Map.of("DEDUP_WINDOW", "0s"));
  }

  @AfterAll
  static void stop() {
    app.close();
    logs.close();
    sink.stop();
  }

  @BeforeEach
  void resetSink() {
    sink.resetRequests();
  }

  @Test
  void firingAlertReachesEachMatchingTargetInItsFormat() throws Exception {
    HttpResponse<String> res =
        app.postJson("/webhook", Resources.repoFile("examples/alerts/firing.json"));

    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(res.body()))
        .isEqualTo(JSON.readTree("{\"accepted\":1,\"deliveries\":3}"));
    assertThat(received("/hook")).isEqualTo(golden("webhook-firing.json"));
    assertThat(received("/am")).isEqualTo(golden("alertmanager-firing.json"));
  }

  @Test
  void groupedNotificationSendsOnlyTheAlertsEachFilterPasses() throws Exception {
    HttpResponse<String> res =
        app.postJson("/api/v2/webhook", Resources.repoFile("examples/alerts/grouped.json"));

    assertThat(res.statusCode()).isEqualTo(200);
    JsonNode hook = received("/hook");
    assertThat(hook).isEqualTo(golden("webhook-grouped.json"));
    // the resolved alert from namespace dev is filtered out of the hook target
    assertThat(hook.get("alerts").findValuesAsText("fingerprint"))
        .doesNotContain("9b7d13a6e05c2f88");
    assertThat(received("/am")).isEqualTo(golden("alertmanager-grouped.json"));
  }

  @Test
  void notificationNoTargetAcceptsIsAcceptedWithNoDelivery() throws Exception {
    String devOnly =
        Resources.repoFile("examples/alerts/firing.json")
            .replace("\"severity\": \"critical\"", "\"severity\": \"info\"")
            .replace("KubePodCrashLooping", "SomethingElse");
    HttpResponse<String> res = app.postJson("/webhook", devOnly);

    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(res.body()).get("deliveries").asInt()).isZero();
    assertThat(sink.findAll(postRequestedFor(urlPathEqualTo("/hook")))).isEmpty();
    assertThat(sink.findAll(postRequestedFor(urlPathEqualTo("/am")))).isEmpty();
  }

  @Test
  void urlCredentialsAndHeadersAreSentToTheTarget() throws Exception {
    app.postJson("/webhook", Resources.repoFile("examples/alerts/firing.json"));

    LoggedRequest req = awaitOne("/hook");
    assertThat(req.getHeader("X-Team-Token")).isEqualTo(HEADER_TOKEN);
    assertThat(req.getHeader("Authorization"))
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString(("ops:" + URL_PASSWORD).getBytes(StandardCharsets.UTF_8)));
    assertThat(req.queryParameter("token").firstValue()).isEqualTo(QUERY_TOKEN);
    sink.verify(
        postRequestedFor(urlPathEqualTo("/hook"))
            .withHeader("Content-Type", equalTo("application/json")));
  }

  @Test
  void invalidTargetsAreListedWithReasonsAndValidOnesServe() throws Exception {
    JsonNode body = JSON.readTree(app.get("/api/v2/publishing/targets?include=invalid").body());

    assertThat(body.get("targets").findValuesAsText("name"))
        .containsExactly("hook", "rejecting", "am");
    JsonNode invalid = body.get("invalid");
    assertThat(invalid).hasSize(2);
    assertThat(invalid.toString())
        .contains("duplicate name")
        .contains("url: must be an http or https URL with a host");
    JsonNode plain = JSON.readTree(app.get("/api/v2/publishing/targets").body());
    assertThat(plain.has("invalid")).isFalse();
  }

  @Test
  void badIncludeParameterIsRejected() throws Exception {
    HttpResponse<String> res = app.get("/api/v2/publishing/targets?include=everything");
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(res.body()).get("details").get(0).get("field").asText())
        .isEqualTo("include");
  }

  @Test
  void secretsNeverAppearInLogsOrApiOutput() throws Exception {
    app.postJson("/webhook", Resources.repoFile("examples/alerts/firing.json"));
    awaitOne("/hook");
    awaitOne("/reject");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> logs.text().contains("delivery failed permanently"));

    String api =
        app.get("/api/v2/publishing/targets?include=invalid").body() + app.get("/metrics").body();
    String logText = logs.text();
    for (String secret :
        List.of(URL_PASSWORD, QUERY_TOKEN, HEADER_TOKEN, API_KEY, INVALID_SECRET)) {
      assertThat(api).doesNotContain(secret);
      assertThat(logText).doesNotContain(secret);
    }
    assertThat(api)
        .contains("\"X-Team-Token\":\"***\"")
        .contains("http://***@127.0.0.1:" + sink.port() + "/hook?***");
    // the target's answer echoed the key: the excerpt in the log is scrubbed but kept
    assertThat(logText).contains("invalid key ***");
  }

  @Test
  void everyLogLineOfARequestCarriesItsRequestId() throws Exception {
    var req =
        java.net.http.HttpRequest.newBuilder(app.uri("/webhook"))
            .header("Content-Type", "application/json")
            .header("X-Request-Id", "req-e2e-42")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"status\": \"firing\"}"))
            .build();
    var res =
        java.net.http.HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());

    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(res.headers().firstValue("X-Request-Id")).hasValue("req-e2e-42");
    assertThat(logs.events())
        .filteredOn(e -> e.getFormattedMessage().equals("webhook payload rejected"))
        .anySatisfy(
            e -> assertThat(e.getMDCPropertyMap()).containsEntry("request_id", "req-e2e-42"));
  }

  @Test
  void probesAnswer() throws Exception {
    assertThat(app.get("/healthz").statusCode()).isEqualTo(200);
    assertThat(app.get("/readyz").statusCode()).isEqualTo(200);
    HttpResponse<String> unknown = app.get("/nope");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).get("error").asText()).isEqualTo("not_found");
    assertThat(unknown.headers().firstValue("X-Request-Id")).isPresent();
  }

  private static JsonNode received(String path) throws Exception {
    return JSON.readTree(awaitOne(path).getBodyAsString());
  }

  private static LoggedRequest awaitOne(String path) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> sink.findAll(postRequestedFor(urlPathEqualTo(path))).size() == 1);
    return sink.findAll(postRequestedFor(urlPathEqualTo(path))).getFirst();
  }

  private static JsonNode golden(String name) throws Exception {
    return JSON.readTree(Resources.testResource("golden/" + name));
  }
}
