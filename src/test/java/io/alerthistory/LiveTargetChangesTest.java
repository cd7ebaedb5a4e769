package io.alerthistory;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.alerthistory.testing.LogCapture;
import io.alerthistory.testing.Resources;
import io.alerthistory.testing.RunningApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A target file added, changed or removed while the service runs is live within a second. */
class LiveTargetChangesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path targets;

  @Test
  void addedChangedAndRemovedTargetsApplyWithoutRestart() throws Exception {
    WireMockServer sink = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    sink.start();
    sink.stubFor(post(urlPathEqualTo("/a")).willReturn(aResponse().withStatus(200)));
    sink.stubFor(post(urlPathEqualTo("/b")).willReturn(aResponse().withStatus(200)));
    Files.writeString(targets.resolve("log.yaml"), "type: log\n");
    try (LogCapture logs = new LogCapture();
        RunningApp app = RunningApp.start(targets, Map.of("DEDUP_WINDOW", "0s"))) {
      String firing = Resources.repoFile("examples/alerts/firing.json");
      Path hook = targets.resolve("hook.json");

      Files.writeString(
          hook,
          "{\"type\": \"webhook\", \"url\": \"http://127.0.0.1:%d/a\"}".formatted(sink.port()));
      await().atMost(Duration.ofSeconds(2)).until(() -> names(app).contains("hook"));
      app.postJson("/webhook", firing);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> sink.findAll(postRequestedFor(urlPathEqualTo("/a"))).size() == 1);

      Files.writeString(
          hook,
          "{\"type\": \"webhook\", \"url\": \"http://127.0.0.1:%d/b\"}".formatted(sink.port()));
      await()
          .atMost(Duration.ofSeconds(2))
          .until(() -> app.get("/api/v2/publishing/targets").body().contains("/b\""));
      app.postJson("/webhook", firing);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> sink.findAll(postRequestedFor(urlPathEqualTo("/b"))).size() == 1);

      Files.delete(hook);
      await().atMost(Duration.ofSeconds(2)).until(() -> !names(app).contains("hook"));
      assertThat(logs.text())
          .contains("targets loaded added=[hook] changed=[] removed=[]")
          .contains("targets loaded added=[] changed=[hook] removed=[]")
          .contains("targets loaded added=[] changed=[] removed=[hook]");
      assertThat(JSON.readTree(app.postJson("/webhook", firing).body()).get("deliveries").asInt())
          .isEqualTo(1);
      assertThat(
              JSON.readTree(app.get("/api/v2/publishing/targets/status").body())
                  .get("watching")
                  .asBoolean())
          .isTrue();
    } finally {
      sink.stop();
    }
  }

  private static String names(RunningApp app) throws Exception {
    return JSON.readTree(app.get("/api/v2/publishing/targets").body())
        .get("targets")
        .findValuesAsText("name")
        .toString();
  }
}
