package io.alerthistory.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alerthistory.testing.FingerprintSink;
import io.alerthistory.testing.PostgresServer;
import io.alerthistory.testing.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The service as a real process killed with SIGKILL while its only target is down: every alert
 * answered 200 is delivered by the next start, on the same DATA_DIR or the same PostgreSQL.
 */
class StoreCrashTest {
  enum Backend {
    SQLITE,
    POSTGRESQL
  }

  private static final int ALERTS = 1000;
  private static PostgresServer pg;
  @TempDir Path dir;

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = PostgresServer.shared();
  }

  @BeforeEach
  void emptyDatabase() throws Exception {
    pg.emptyDatabase();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void everyAcceptedAlertIsDeliveredAfterKillNine(Backend backend) throws Exception {
    int sinkPort = ServiceProcess.freePort();
    Path targets = Files.createDirectories(dir.resolve("targets"));
    Path data = dir.resolve("data");
    Files.writeString(targets.resolve("sink.json"), FingerprintSink.targetJson(sinkPort));

    ServiceProcess first = start(backend, targets, data, "first.log");
    try {
      first.awaitReady(Duration.ofSeconds(30));
      postAll(first, "fp-", ALERTS);
    } finally {
      first.process().destroyForcibly(); // SIGKILL: no shutdown hook, no final flush
      assertThat(first.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    try (FingerprintSink sink = FingerprintSink.start(sinkPort, 0);
        ServiceProcess second = start(backend, targets, data, "second.log")) {
      // on PostgreSQL the dead process's lease (STORE_LEASE) runs out first
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> sink.delivered().size() == ALERTS);
      Set<String> expected = new HashSet<>();
      for (int i = 0; i < ALERTS; i++) {
        expected.add("fp-" + i);
      }
      assertThat(sink.delivered()).isEqualTo(expected);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  count(backend, data, "journal") == 0
                      && count(backend, data, "notification") == 0);
    }
  }

  /** Posts {@code n} one-alert notifications from 16 threads; each must be answered 200. */
  static void postAll(ServiceProcess service, String prefix, int n) throws Exception {
    try (ExecutorService posters = Executors.newFixedThreadPool(16)) {
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String body = notification(prefix + i);
        answers.add(posters.submit(() -> service.postJson("/webhook", body)));
      }
      for (Future<Integer> a : answers) {
        assertThat(a.get()).isEqualTo(200);
      }
    }
  }

  private ServiceProcess start(Backend backend, Path targets, Path data, String logName)
      throws IOException {
    Map<String, String> env = new HashMap<>(serviceEnv(targets));
    env.put("DATA_DIR", data.toString());
    if (backend == Backend.POSTGRESQL) {
      env.put("DATABASE_URL", pg.databaseUrl());
      env.put("STORE_LEASE", "3s");
    }
    return ServiceProcess.start(env, dir.resolve(logName));
  }

  static Map<String, String> serviceEnv(Path targets) {
    return Map.of(
        "TARGETS_DIR", targets.toString(),
        "DEDUP_WINDOW", "0s",
        "DELIVERY_QUEUE_CAPACITY", "5000",
        "LOG_FORMAT", "text",
        "LOG_LEVEL", "warn");
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

  private static int count(Backend backend, Path data, String table) throws Exception {
    try (Connection c =
        backend == Backend.POSTGRESQL
            ? pg.connect()
            : DriverManager.getConnection("jdbc:sqlite:" + data.resolve(JdbcStore.SQLITE_FILE))) {
      return count(c, table);
    }
  }

  /** Rows in a table of the SQLite store under {@code data}. */
  static int count(Path data, String table) throws Exception {
    return count(Backend.SQLITE, data, table);
  }

  /** Rows in a table of the store. */
  static int count(Connection c, String table) throws Exception {
    try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
