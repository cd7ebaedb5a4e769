package io.alerthistory.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's behaviour while its database is unreachable, on a real SQLite file whose writer
 * connection is closed under it and whose reconnects fail until the test allows them.
 */
class DatabaseOutageTest {
  @TempDir Path dir;
  private final AtomicBoolean reachable = new AtomicBoolean(true);
  private String url;
  private Connection first;
  private HikariDataSource readers;
  private Database db;

  @BeforeEach
  void open() throws SQLException {
    url = "jdbc:sqlite:" + dir.resolve("outage.db");
    first = DriverManager.getConnection(url);
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(url);
    pool.setMaximumPoolSize(1);
    readers = new HikariDataSource(pool);
    db =
        new Database(
            first,
            () -> {
              if (!reachable.get()) {
                throw new SQLException("connection refused");
              }
              return DriverManager.getConnection(url);
            },
            readers,
            () -> {},
            new PrometheusRegistry());
    db.write(
        "create",
        Database.OnOutage.FAIL,
        w -> w.statement("CREATE TABLE kept (n INTEGER)").executeUpdate());
  }

  @AfterEach
  void close() {
    reachable.set(true);
    db.close();
  }

  private CompletableFuture<Object> insert(int n, Database.OnOutage onOutage) {
    return db.submit(
        "insert",
        onOutage,
        w -> {
          var ps = w.statement("INSERT INTO kept (n) VALUES (?)");
          ps.setInt(1, n);
          return ps.executeUpdate();
        });
  }

  @Test
  void retriedWritesAreKeptUpToTheLimitAndWrittenOnceTheDatabaseIsBack() throws Exception {
    reachable.set(false);
    first.close();
    int extra = 5;
    List<CompletableFuture<Object>> writes = new ArrayList<>();
    for (int i = 0; i < Database.MAX_KEPT + extra; i++) {
      writes.add(insert(i, Database.OnOutage.RETRY));
    }

    // past the limit the newest fail; the others wait in memory
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> writes.stream().filter(CompletableFuture::isDone).count() == extra);
    assertThat(writes.subList(Database.MAX_KEPT, writes.size()))
        .allSatisfy(
            w ->
                assertThat(w)
                    .failsWithin(Duration.ZERO)
                    .withThrowableThat()
                    .withCauseInstanceOf(StoreUnavailableException.class));
    assertThat(writes.subList(0, Database.MAX_KEPT)).noneMatch(CompletableFuture::isDone);

    // a write that is not retried fails at once
    CompletableFuture<Object> notKept = insert(-1, Database.OnOutage.FAIL);
    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () -> notKept.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join()))
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(StoreUnavailableException.class);

    reachable.set(true);
    CompletableFuture.allOf(writes.subList(0, Database.MAX_KEPT).toArray(CompletableFuture[]::new))
        .get(30, java.util.concurrent.TimeUnit.SECONDS);
    int rows = db.read("count", DatabaseOutageTest::count);
    assertThat(rows).isEqualTo(Database.MAX_KEPT);
  }

  private static int count(Connection c) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM kept")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
