package io.alerthistory.store;

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
import io.alerthistory.testing.Resources;
import io.alerthistory.testing.RunningApp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the SQLite store keeps across a restart of the service on the same DATA_DIR. */
class StoreRestartTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path targets;
  @TempDir Path data;
  private WireMockServer api;

  @BeforeEach
  void startApi() {
    api = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    api.start();
  }

  @AfterEach
  void stopApi() {
    api.stop();
  }

  private void hookTarget() throws Exception {
    Files.writeString(
        targets.resolve("hook.json"),
        "{\"type\": \"webhook\", \"url\": \"http://127.0.0.1:%d/hook\"}".formatted(api.port()));
  }

  private RunningApp start() throws Exception {
    return RunningApp.start(targets, Map.of("DATA_DIR", data.toString()));
  }

  @Test
  void deadLettersSurviveARestartAndCanBeReplayedAfterIt() throws Exception {
    api.stubFor(post(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(400)));
    hookTarget();
    try (RunningApp app = start()) {
      assertThat(
              app.postJson("/webhook", Resources.repoFile("examples/alerts/firing.json"))
                  .statusCode())
          .isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).until(() -> letters(app).size() == 1);
    }
    String id;
    try (RunningApp app = start()) {
      JsonNode letters = letters(app);
      assertThat(letters).hasSize(1);
      JsonNode letter = letters.get(0);
      assertThat(letter.get("target").asText()).isEqualTo("hook");
      assertThat(letter.get("reason").asText()).isEqualTo("permanent_failure");
      assertThat(letter.get("last_status").asInt()).isEqualTo(400);
      assertThat(letter.get("alerts").get(0).get("fingerprint").asText())
          .isEqualTo("5a2c6f0e7b1d4c93");
      id = letter.get("id").asText();

      api.stubFor(post(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
      HttpResponse<String> replay =
          app.call("POST", "/api/v2/publishing/dlq/" + id + "/replay", null);
      assertThat(replay.statusCode()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> api.findAll(postRequestedFor(urlPathEqualTo("/hook"))).size() == 2);
    }
    try (RunningApp app = start()) {
      assertThat(letters(app)).isEmpty();
    }
    assertThat(StoreCrashTest.count(data, "journal")).isZero();
  }

  @Test
  void journaledDeliveriesOfARemovedTargetAreDeadLetteredAtStart() throws Exception {
    Path hook = targets.resolve("hook.json");
    Files.writeString(hook, "{\"type\": \"webhook\", \"url\": \"http://127.0.0.1:1/down\"}");
    Files.writeString(targets.resolve("log.json"), "{\"type\": \"log\", \"enabled\": false}");
    try (RunningApp app = start()) {
      assertThat(
              app.postJson("/webhook", Resources.repoFile("examples/alerts/firing.json"))
                  .statusCode())
          .isEqualTo(200);
    } // the delivery is still retrying at shutdown: it stays in the journal
    assertThat(StoreCrashTest.count(data, "journal")).isEqualTo(1);
    Files.delete(hook);
    try (RunningApp app = start()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> letters(app).size() == 1);
      JsonNode letter = letters(app).get(0);
      assertThat(letter.get("target").asText()).isEqualTo("hook");
      assertThat(letter.get("reason").asText()).isEqualTo("target_removed");
    }
    assertThat(StoreCrashTest.count(data, "journal")).isZero();
  }

  @Test
  void statsBucketsSurviveARestart() throws Exception {
    api.stubFor(post(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
    hookTarget();
    try (RunningApp app = start()) {
      app.postJson("/webhook", Resources.repoFile("examples/alerts/firing.json"));
      await().atMost(Duration.ofSeconds(10)).until(() -> successes(app) == 1);
    }
    try (RunningApp app = start()) {
      assertThat(successes(app)).isEqualTo(1);
    }
  }

  @Test
  void deliveryHistorySurvivesARestartWithinTheRetention() throws Exception {
    api.stubFor(post(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
    hookTarget();
    String path = "/api/v2/alerts/5a2c6f0e7b1d4c93/deliveries";
    try (RunningApp app = start()) {
      app.postJson("/webhook", Resources.repoFile("examples/alerts/firing.json"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> app.get(path).body().contains("delivered"));
    }
    try (RunningApp app = start()) {
      assertThat(app.get(path).body()).contains("\"outcome\":\"delivered\"").contains("hook");
    }
    try (RunningApp app =
        RunningApp.start(
            targets, Map.of("DATA_DIR", data.toString(), "HISTORY_RETENTION", "1ms"))) {
      assertThat(app.get(path).body()).doesNotContain("delivered");
    }
  }

  private static long successes(RunningApp app) throws Exception {
    return JSON.readTree(app.get("/api/v2/publishing/stats/hook").body())
        .get("target")
        .get("successes_24h")
        .asLong();
  }

  @Test
  void rootlyIncidentIdsSurviveARestart() throws Exception {
    FakeRootly rootly = FakeRootly.on(api);
    rootly.writeTarget(targets.resolve("rootly.json"), "t0ken");
    try (RunningApp app = start()) {
      app.postJson("/webhook", Resources.repoFile("examples/alerts/firing.json"));
      await().atMost(Duration.ofSeconds(10)).until(() -> rootly.creates() == 1);
    }
    try (RunningApp app = start()) {
      assertThat(
              app.postJson("/webhook", Resources.repoFile("examples/alerts/resolved.json"))
                  .statusCode())
          .isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).until(() -> rootly.resolves() == 1);
    }
  }

  @Test
  void aStoreThatCannotBeWrittenAnswers503WithRetryAfter() throws Exception {
    api.stubFor(post(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
    hookTarget();
    try (RunningApp app = start()) {
      String firing = Resources.repoFile("examples/alerts/firing.json");
      // another process holding the write lock past the busy timeout
      try (Connection other =
          DriverManager.getConnection("jdbc:sqlite:" + data.resolve(JdbcStore.SQLITE_FILE))) {
        other.createStatement().execute("BEGIN EXCLUSIVE");
        HttpResponse<String> refused = app.postJson("/webhook", firing);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        other.createStatement().execute("ROLLBACK");
      }
      assertThat(app.postJson("/webhook", firing).statusCode()).isEqualTo(200);
      assertThat(app.get("/metrics").body())
          .contains("alert_history_store_errors_total{operation=\"journal_accept\"}");
    }
  }

  @Test
  void anUnusableDataDirStopsStartUpNamingTheVariable() throws Exception {
    Path file = Files.writeString(data.resolve("not-a-dir"), "x");
    Files.writeString(targets.resolve("log.json"), "{\"type\": \"log\"}");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> RunningApp.start(targets, Map.of("DATA_DIR", file.toString())))
        .hasMessageContaining("DATA_DIR");
  }

  private static JsonNode letters(RunningApp app) throws Exception {
    return JSON.readTree(app.get("/api/v2/publishing/dlq").body()).get("dead_letters");
  }
}
