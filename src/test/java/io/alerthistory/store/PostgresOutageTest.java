package io.alerthistory.store;

import static io.alerthistory.store.StoreCrashTest.count;
import static io.alerthistory.store.StoreCrashTest.notification;
import static io.alerthistory.store.StoreCrashTest.postAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alerthistory.testing.FingerprintSink;
import io.alerthistory.testing.PostgresServer;
import io.alerthistory.testing.ServiceProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stops under a running service: the webhook answers 503 instead of accepting what it
 * cannot journal, and once the database is back everything accepted before, during and after is
 * delivered.
 */
class PostgresOutageTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  @TempDir Path dir;

  @Test
  void theWebhookAnswers503WhileTheStoreIsDownAndNothingAcceptedIsLost() throws Exception {
    int sinkPort = ServiceProcess.freePort();
    Path targets = Files.createDirectories(dir.resolve("targets"));
    Files.writeString(targets.resolve("sink.json"), FingerprintSink.targetJson(sinkPort));
    Map<String, String> env = new HashMap<>(StoreCrashTest.serviceEnv(targets));
    env.put("DATA_DIR", dir.resolve("data").toString());
    env.put("DELIVERY_CONCURRENCY", "2");
    try (PostgresServer pg = PostgresServer.start();
        FingerprintSink sink = FingerprintSink.start(sinkPort, 10)) {
      env.put("DATABASE_URL", pg.databaseUrl());
      try (ServiceProcess service = ServiceProcess.start(env, dir.resolve("service.log"))) {
        service.awaitReady(Duration.ofSeconds(30));
        // accepted before the outage; a slow target leaves most in the queue when it starts
        postAll(service, "before-", 300);

        pg.stop();
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> service.postJson("/webhook", notification("during")) == 503);
        HttpResponse<String> refused = post(service, notification("during"));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.body()).doesNotContain("secret");
        assertThat(status(service, "/readyz")).isEqualTo(503);

        pg.restart();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> service.postJson("/webhook", notification("after")) == 200);
        assertThat(status(service, "/readyz")).isEqualTo(200);

        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 300; i++) {
          expected.add("before-" + i);
        }
        expected.add("after");
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(250))
            .until(() -> sink.delivered().containsAll(expected));
        // answered 503, so nothing of it was sent
        assertThat(sink.delivered()).doesNotContain("during");
        // the outcomes written while the database was away are written once it is back
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () -> {
                  try (Connection c = pg.connect()) {
                    return count(c, "journal") == 0;
                  }
                });
        assertThat(Files.readString(dir.resolve("service.log"))).doesNotContain("secret");
      }
    }
  }

  private static HttpResponse<String> post(ServiceProcess s, String body) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(s.base().resolve("/webhook"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int status(ServiceProcess s, String path) throws Exception {
    return CLIENT
        .send(
            HttpRequest.newBuilder(s.base().resolve(path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
