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
import io.alerthistory.testing.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as a real process killed with SIGKILL while its only target is down: every alert
 * answered 200 is delivered by the next start on the same DATA_DIR.
 */
class StoreCrashTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ALERTS = 1000;
  @TempDir Path dir;

  @Test
  void everyAcceptedAlertIsDeliveredAfterKillNine() throws Exception {
    int sinkPort = ServiceProcess.freePort();
    Path targets = Files.createDirectories(dir.resolve("targets"));
    Path data = dir.resolve("data");
    Files.writeString(
        targets.resolve("sink.json"),
        "{\"type\": \"webhook\", \"url\": \"http://127.0.0.1:%d/sink\"}".formatted(sinkPort));

    ServiceProcess first = start(targets, data, "first.log");
    try {
      first.awaitReady(Duration.ofSeconds(30));
      try (ExecutorService posters = Executors.newFixedThreadPool(16)) {
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < ALERTS; i++) {
          String body = notification("fp-" + i);
          answers.add(posters.submit(() -> first.postJson("/webhook", body)));
        }
        for (Future<Integer> a : answers) {
          assertThat(a.get()).isEqualTo(200);
        }
      }
    } finally {
      first.process().destroyForcibly(); // SIGKILL: no shutdown hook, no final flush
      assertThat(first.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    WireMockServer sink = new WireMockServer(options().bindAddress("127.0.0.1").port(sinkPort));
    sink.start();
    sink.stubFor(post(urlPathEqualTo("/sink")).willReturn(aResponse().withStatus(200)));
    ServiceProcess second = start(targets, data, "second.log");
    try (second) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> delivered(sink).size() == ALERTS);
      Set<String> expected = new HashSet<>();
      for (int i = 0; i < ALERTS; i++) {
        expected.add("fp-" + i);
      }
      assertThat(delivered(sink)).isEqualTo(expected);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> count(data, "journal") == 0 && count(data, "notification") == 0);
    } finally {
      sink.stop();
    }
  }

  private ServiceProcess start(Path targets, Path data, String logName) throws IOException {
    return ServiceProcess.start(
        Map.of(
            "TARGETS_DIR", targets.toString(),
            "DATA_DIR", data.toString(),
            "DEDUP_WINDOW", "0s",
            "DELIVERY_QUEUE_CAPACITY", "5000",
            "LOG_FORMAT", "text",
            "LOG_LEVEL", "warn"),
        dir.resolve(logName));
  }

  static String notification(String fingerprint) {
    return """
        {"version": "4", "groupKey": "{}:{alertname=\\"Crash\\"}", "truncatedAlerts": 0,
         "status": "firing", "receiver": "r", "groupLabels": {}, "commonLabels": {},
         "commonAnnotations": {}, "externalURL": "http://am",
         "alerts": [{"status": "firing", "labels": {"alertname": "Crash", "severity": "critical"},
           "annotations": {}, "startsAt": "2026-11-23T09:12:04Z",
           "endsAt": "0001-01-01T00:00:00Z", "generatorURL": "http://p",
           "fingerprint": "%s"}]}
        """
        .formatted(fingerprint);
  }

  private static Set<String> delivered(WireMockServer sink) {
    Set<String> seen = new HashSet<>();
    sink.findAll(postRequestedFor(urlPathEqualTo("/sink")))
        .forEach(
            r -> {
              try {
                for (JsonNode a : JSON.readTree(r.getBodyAsString()).get("alerts")) {
                  seen.add(a.get("fingerprint").asText());
                }
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    return seen;
  }

  static int count(Path data, String table) throws Exception {
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(JdbcStore.SQLITE_FILE));
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
