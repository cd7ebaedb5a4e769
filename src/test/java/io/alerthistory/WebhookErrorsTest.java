package io.alerthistory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alerthistory.testing.Resources;
import io.alerthistory.testing.RunningApp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every 4xx answer of the webhook, over real HTTP, with a JSON body naming field and problem. */
class WebhookErrorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path targets;
  private static RunningApp app;

  @BeforeAll
  static void start() throws Exception {
    Files.writeString(targets.resolve("log.yaml"), "type: log\n");
    app = RunningApp.start(targets, Map.of("MAX_BODY_BYTES", "64KiB"));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void malformedJsonIs400() throws Exception {
    JsonNode body = expect(400, app.postJson("/webhook", "{\"alerts\": [}"));
    assertThat(body.get("error").asText()).isEqualTo("invalid_request");
    assertThat(body.get("details").get(0).get("problem").asText()).startsWith("malformed JSON");
  }

  @Test
  void nonObjectIs400() throws Exception {
    JsonNode body = expect(400, app.postJson("/webhook", "[1, 2]"));
    assertThat(body.get("details").get(0).get("problem").asText())
        .isEqualTo("must be a JSON object");
  }

  @Test
  void everyBadFieldIsNamed() throws Exception {
    String payload =
        """
        {"version": "3", "status": "burning", "alerts": [
          {"status": "firing", "labels": {"severity": "page"}, "startsAt": "yesterday"},
          {"status": "resolved", "labels": {"alertname": "X", "n": 5}, "startsAt": "2026-11-23T10:00:00Z",
           "endsAt": "2026-13-01T00:00:00Z", "annotations": "oops"}
        ]}
        """;
    JsonNode body = expect(400, app.postJson("/webhook", payload));
    assertThat(problems(body))
        .containsEntry("version", "unsupported version \"3\", expected \"4\"")
        .containsEntry("status", "must be \"firing\" or \"resolved\", got \"burning\"")
        .containsEntry("alerts[0].labels.alertname", "is required")
        .containsEntry("alerts[0].startsAt", "must be an RFC 3339 timestamp, got \"yesterday\"")
        .containsEntry("alerts[1].labels.n", "must be a string")
        .containsEntry(
            "alerts[1].endsAt", "must be an RFC 3339 timestamp, got \"2026-13-01T00:00:00Z\"")
        .containsEntry("alerts[1].annotations", "must be an object of strings");
  }

  @Test
  void missingOrEmptyAlertsIs400() throws Exception {
    assertThat(problems(expect(400, app.postJson("/webhook", "{\"status\": \"firing\"}"))))
        .containsEntry("alerts", "is required");
    assertThat(
            problems(
                expect(400, app.postJson("/webhook", "{\"status\": \"firing\", \"alerts\": []}"))))
        .containsEntry("alerts", "must contain at least one alert");
  }

  @Test
  void missingLabelsIs400() throws Exception {
    String payload =
        "{\"status\": \"firing\", \"alerts\": [{\"status\": \"firing\", \"startsAt\": \"2026-11-23T10:00:00Z\"}]}";
    assertThat(problems(expect(400, app.postJson("/webhook", payload))))
        .containsEntry("alerts[0].labels", "is required");
  }

  @Test
  void unknownFieldsAreIgnored() throws Exception {
    String payload =
        Resources.repoFile("examples/alerts/firing.json")
            .replaceFirst("\\{", "{\"someFutureField\": {\"x\": 1},");
    assertThat(app.postJson("/webhook", payload).statusCode()).isEqualTo(200);
  }

  @Test
  void oversizedBodyIs413() throws Exception {
    byte[] big = ("{\"pad\": \"" + "x".repeat(70 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
    JsonNode body = expect(413, app.post("/webhook", "application/json", big));
    assertThat(body.get("error").asText()).isEqualTo("payload_too_large");
    assertThat(body.get("message").asText()).contains("MAX_BODY_BYTES");
  }

  @Test
  void nonJsonContentTypeIs415() throws Exception {
    JsonNode body =
        expect(
            415,
            app.post(
                "/webhook",
                "application/x-www-form-urlencoded",
                "a=b".getBytes(StandardCharsets.UTF_8)));
    assertThat(body.get("error").asText()).isEqualTo("unsupported_media_type");
  }

  @Test
  void rejectionsAreCountedByReason() throws Exception {
    app.postJson("/webhook", "nope");
    String metrics = app.get("/metrics").body();
    assertThat(metrics)
        .containsPattern("alert_history_alerts_invalid_total\\{reason=\"malformed_json\"} [1-9]");
  }

  private static JsonNode expect(int status, HttpResponse<String> res) throws Exception {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
    assertThat(res.headers().firstValue("Content-Type")).hasValue("application/json");
    return JSON.readTree(res.body());
  }

  private static Map<String, String> problems(JsonNode body) {
    Map<String, String> out = new java.util.HashMap<>();
    body.get("details").forEach(d -> out.put(d.get("field").asText(), d.get("problem").asText()));
    return out;
  }
}
