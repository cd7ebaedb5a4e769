package io.alerthistory.store;

import static io.alerthistory.store.StoreCrashTest.count;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two service processes sharing one real PostgreSQL database. */
class PostgresReplicasTest {
  private static final int PER_REPLICA = 2500;
  private static PostgresServer pg;
  @TempDir Path dir;
  private Path targets;
  private int sinkPort;

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = PostgresServer.shared();
  }

  @BeforeEach
  void emptyDatabaseAndOneTarget() throws Exception {
    pg.emptyDatabase();
    sinkPort = ServiceProcess.freePort();
    targets = Files.createDirectories(dir.resolve("targets"));
    Files.writeString(targets.resolve("sink.json"), FingerprintSink.targetJson(sinkPort));
  }

  private ServiceProcess replica(String name, String lease) throws Exception {
    Map<String, String> env = new HashMap<>(StoreCrashTest.serviceEnv(targets));
    env.put("DATA_DIR", dir.resolve(name).toString());
    env.put("DATABASE_URL", pg.databaseUrl());
    env.put("STORE_LEASE", lease);
    env.put("HOSTNAME", name);
    env.put("DELIVERY_CONCURRENCY", "8");
    return ServiceProcess.start(env, dir.resolve(name + ".log"));
  }

  /** Posts to both replicas at once, each its own alerts. */
  private static void postToBoth(ServiceProcess a, ServiceProcess b) throws Exception {
    CompletableFuture<Void> toA = CompletableFuture.runAsync(() -> post(a, "a-"));
    CompletableFuture<Void> toB = CompletableFuture.runAsync(() -> post(b, "b-"));
    toA.get();
    toB.get();
  }

  private static void post(ServiceProcess service, String prefix) {
    try {
      postAll(service, prefix, PER_REPLICA);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void fiveThousandDeliveriesAreEachSentExactlyOnce() throws Exception {
    try (FingerprintSink sink = FingerprintSink.start(sinkPort, 0);
        ServiceProcess a = replica("a", "30s");
        ServiceProcess b = replica("b", "30s")) {
      a.awaitReady(Duration.ofSeconds(30));
      b.awaitReady(Duration.ofSeconds(30));

      postToBoth(a, b);

      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> sink.delivered().size() == 2 * PER_REPLICA);
      await().atMost(Duration.ofSeconds(10)).until(() -> journalRows() == 0);
      assertThat(sink.counts().values()).allMatch(n -> n == 1);
      assertThat(sink.counts()).hasSize(2 * PER_REPLICA);
    }
  }

  @Test
  void afterKillNineOfOneReplicaTheOtherDeliversEverythingAtLeastOnce() throws Exception {
    // a slow target keeps b's queue long, so b dies with most of its deliveries unsent
    try (FingerprintSink sink = FingerprintSink.start(sinkPort, 20);
        ServiceProcess a = replica("a", "3s");
        ServiceProcess b = replica("b", "3s")) {
      a.awaitReady(Duration.ofSeconds(30));
      b.awaitReady(Duration.ofSeconds(30));

      postToBoth(a, b);
      b.process().destroyForcibly();
      assertThat(b.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
      int unsentAtKill = 2 * PER_REPLICA - sink.delivered().size();

      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> sink.delivered().size() == 2 * PER_REPLICA);
      await().atMost(Duration.ofSeconds(10)).until(() -> journalRows() == 0);
      assertThat(unsentAtKill).isPositive();
      assertThat(metric(a, "alert_history_store_deliveries_taken_over_total")).isPositive();
    }
  }

  @Test
  void deadLettersAndHistoryOfOneReplicaAreServedAndReplayedByTheOtherAfterItsRestart()
      throws Exception {
    try (FingerprintSink sink = FingerprintSink.start(sinkPort, 0)) {
      sink.answer(400);
      ServiceProcess a = replica("a", "30s");
      try (ServiceProcess b = replica("b", "30s")) {
        a.awaitReady(Duration.ofSeconds(30));
        b.awaitReady(Duration.ofSeconds(30));
        assertThat(a.postJson("/webhook", StoreCrashTest.notification("fp-dead"))).isEqualTo(200);
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> get(b, "/api/v2/publishing/dlq").contains("fp-dead"));
        a.process().destroyForcibly();
        a.process().waitFor();
        try (ServiceProcess again = replica("a", "30s")) {
          again.awaitReady(Duration.ofSeconds(30));
          assertThat(get(again, "/api/v2/publishing/dlq")).contains("fp-dead");
          assertThat(get(b, "/api/v2/alerts/fp-dead/deliveries"))
              .contains("\"outcome\":\"dead_lettered\"");

          sink.answer(200);
          assertThat(b.postJson("/api/v2/publishing/dlq/replay", "{}")).isEqualTo(200);
          await().atMost(Duration.ofSeconds(15)).until(() -> sink.delivered().contains("fp-dead"));
          await()
              .atMost(Duration.ofSeconds(15))
              .until(() -> get(again, "/api/v2/alerts/fp-dead/deliveries").contains("delivered"));
          assertThat(get(again, "/api/v2/publishing/dlq")).doesNotContain("fp-dead");
        }
      }
    }
  }

  private static String get(ServiceProcess s, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(s.base().resolve(path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static int journalRows() throws Exception {
    try (Connection c = pg.connect()) {
      return count(c, "journal");
    }
  }

  private static double metric(ServiceProcess s, String name) throws Exception {
    return get(s, "/metrics")
        .lines()
        .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
