package io.alerthistory.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.alerthistory.alert.Alert;
import io.alerthistory.alert.Notification;
import io.alerthistory.config.ConfigException;
import io.alerthistory.delivery.AttemptRecord;
import io.alerthistory.delivery.DeadLetterStore;
import io.alerthistory.delivery.Delivery;
import io.alerthistory.delivery.Journal;
import io.alerthistory.json.Json;
import io.alerthistory.stats.StatsSnapshot;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store in one SQLite file under DATA_DIR, in WAL mode. One writer thread owns the connection
 * and drains a queue of operations, committing each batch in one transaction: concurrent webhooks
 * share a commit and its fsync (group commit), and operations apply in the order they were queued.
 */
public final class SqliteStore implements Store, Journal {
  private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);
  public static final String FILE = "alert-history.db";
  private static final int MAX_BATCH = 2000;

  /** How long a write waits for a lock held by another process before it fails. */
  private static final int BUSY_TIMEOUT_MS = 2000;

  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  @FunctionalInterface
  interface Work<T> {
    T run(SqliteStore store) throws SQLException;
  }

  private record Op(String operation, Work<?> work, CompletableFuture<Object> done) {}

  private static final Op STOP = new Op("stop", s -> null, new CompletableFuture<>());

  private final Path file;
  private final Connection connection;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private final Histogram commitSeconds;
  private final Counter errors;
  private final SqliteDeadLetterStore deadLetters;
  private final SqliteIncidentStore incidents;
  private volatile boolean closed;

  // owned by the writer thread
  private long nextNotificationId;

  private SqliteStore(Path file, Connection connection, PrometheusRegistry registry, int dlqCap)
      throws SQLException {
    this.file = file;
    this.connection = connection;
    commitSeconds =
        Histogram.builder()
            .name("alert_history_store_journal_commit_seconds")
            .help("Time to write and commit one batch of store operations (one fsync).")
            .unit(Unit.SECONDS)
            .classicOnly()
            .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5)
            .register(registry);
    errors =
        Counter.builder()
            .name("alert_history_store_errors_total")
            .help("Store operations that failed, by operation.")
            .labelNames("operation")
            .register(registry);
    // loaded before the writer starts: this thread still owns the connection
    try (Statement s = connection.createStatement()) {
      // a replay that replaced a journal row leaves its old notification behind
      s.executeUpdate(
          "DELETE FROM notification WHERE id NOT IN (SELECT notification_id FROM journal)");
    }
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT coalesce(max(id), 0) + 1 FROM notification")) {
      rs.next();
      nextNotificationId = rs.getLong(1);
    }
    this.deadLetters = new SqliteDeadLetterStore(this, dlqCap);
    this.incidents = new SqliteIncidentStore(this);
    // a platform thread: the driver's native calls would pin a virtual one anyway
    this.writer = Thread.ofPlatform().name("store-writer").daemon().start(this::drain);
  }

  /**
   * Opens (creating if needed) {@code alert-history.db} under the data directory.
   *
   * @throws ConfigException naming DATA_DIR when the directory or database cannot be used
   */
  public static SqliteStore open(
      Path dataDir, PrometheusRegistry registry, int deadLetterCapacity) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new ConfigException("DATA_DIR", dataDir.toString(), "a directory that can be created");
    }
    if (!Files.isDirectory(dataDir) || !Files.isWritable(dataDir)) {
      throw new ConfigException("DATA_DIR", dataDir.toString(), "a writable directory");
    }
    Path file = dataDir.resolve(FILE);
    try {
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
        s.execute("PRAGMA journal_mode = WAL");
        // FULL: a commit survives power loss, not just a process crash; group commit pays for it
        s.execute("PRAGMA synchronous = FULL");
      }
      Migrations.apply(c);
      SqliteStore store = new SqliteStore(file, c, registry, deadLetterCapacity);
      log.atInfo().addKeyValue("file", file.toString()).log("store opened");
      return store;
    } catch (SQLException e) {
      throw new ConfigException(
          "DATA_DIR",
          dataDir.toString(),
          "a directory holding a usable SQLite database (" + e.getMessage() + ")");
    }
  }

  public Path file() {
    return file;
  }

  @Override
  public Journal journal() {
    return this;
  }

  @Override
  public DeadLetterStore deadLetters() {
    return deadLetters;
  }

  @Override
  public IncidentStore incidents() {
    return incidents;
  }

  /** Queues an operation; it runs on the writer thread inside the next batch's transaction. */
  @SuppressWarnings("unchecked")
  <T> CompletableFuture<T> submit(String operation, Work<T> work) {
    CompletableFuture<Object> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(new IllegalStateException("store closed"));
    } else {
      queue.add(new Op(operation, work, done));
    }
    return (CompletableFuture<T>) done;
  }

  /** Runs an operation now on the calling thread; only before the writer starts. */
  <T> T now(Work<T> work) throws SQLException {
    return work.run(this);
  }

  PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  private void drain() {
    List<Op> batch = new ArrayList<>();
    boolean stopping = false;
    while (!stopping) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        break;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      stopping = batch.remove(STOP);
      run(batch);
      batch.clear();
    }
    run(new ArrayList<>(queue));
  }

  private void run(List<Op> batch) {
    if (batch.isEmpty()) {
      return;
    }
    long start = System.nanoTime();
    Object[] results = new Object[batch.size()];
    String failing = "commit";
    try {
      connection.setAutoCommit(false);
      for (int i = 0; i < batch.size(); i++) {
        failing = batch.get(i).operation();
        results[i] = batch.get(i).work().run(this);
      }
      failing = "commit";
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      errors.labelValues(failing).inc();
      log.atError()
          .addKeyValue("operation", failing)
          .addKeyValue("batch", batch.size())
          .addKeyValue("error", e.getMessage())
          .log("store write failed, batch rolled back");
      rollback();
      batch.forEach(op -> op.done().completeExceptionally(e));
      return;
    }
    commitSeconds.observe((System.nanoTime() - start) / 1e9);
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).done().complete(results[i]);
    }
  }

  private void rollback() {
    try {
      connection.rollback();
    } catch (SQLException e) {
      log.atWarn().addKeyValue("error", e.getMessage()).log("rollback failed");
    }
  }

  // --- stats rings

  @Override
  public Optional<StatsSnapshot> stats() {
    return this.<Optional<StatsSnapshot>>submit(
            "stats_load",
            s -> {
              Map<String, int[]> rings = new HashMap<>();
              Instant takenAt = null;
              int slots = 0;
              int stride = 0;
              try (ResultSet rs =
                  s.statement("SELECT target, taken_at, slots, stride, data FROM stats_ring")
                      .executeQuery()) {
                while (rs.next()) {
                  takenAt = Instant.parse(rs.getString(2));
                  slots = rs.getInt(3);
                  stride = rs.getInt(4);
                  IntBuffer ints = ByteBuffer.wrap(rs.getBytes(5)).asIntBuffer();
                  int[] data = new int[ints.remaining()];
                  ints.get(data);
                  rings.put(rs.getString(1), data);
                }
              }
              return takenAt == null
                  ? Optional.empty()
                  : Optional.of(new StatsSnapshot(takenAt, slots, stride, rings));
            })
        .join();
  }

  @Override
  public CompletableFuture<Void> saveStats(StatsSnapshot snapshot) {
    return submit(
        "stats_save",
        s -> {
          s.statement("DELETE FROM stats_ring").executeUpdate();
          PreparedStatement ps =
              s.statement(
                  "INSERT INTO stats_ring (target, taken_at, slots, stride, data)"
                      + " VALUES (?, ?, ?, ?, ?)");
          for (Map.Entry<String, int[]> ring : snapshot.rings().entrySet()) {
            ByteBuffer bytes = ByteBuffer.allocate(ring.getValue().length * Integer.BYTES);
            bytes.asIntBuffer().put(ring.getValue());
            ps.setString(1, ring.getKey());
            ps.setString(2, snapshot.takenAt().toString());
            ps.setInt(3, snapshot.slots());
            ps.setInt(4, snapshot.stride());
            ps.setBytes(5, bytes.array());
            ps.executeUpdate();
          }
          return null;
        });
  }

  // --- attempts

  @Override
  public void attempted(List<String> fingerprints, AttemptRecord attempt) {
    submit(
        "attempt_add",
        s -> {
          PreparedStatement ps =
              s.statement("INSERT INTO attempt (at, fingerprints, record) VALUES (?, ?, ?)");
          ps.setString(1, attempt.at());
          ps.setString(2, json(fingerprints));
          ps.setString(3, json(attempt));
          return ps.executeUpdate();
        });
  }

  @Override
  public List<Attempted> attempts(Instant since, int limit) {
    return this.<List<Attempted>>submit(
            "attempt_load",
            s -> {
              PreparedStatement ps =
                  s.statement(
                      "SELECT fingerprints, record FROM (SELECT id, fingerprints, record FROM"
                          + " attempt WHERE at >= ? ORDER BY id DESC LIMIT ?) ORDER BY id");
              ps.setString(1, since.toString());
              ps.setInt(2, limit);
              List<Attempted> out = new ArrayList<>();
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  out.add(
                      new Attempted(
                          read(rs.getString(1), STRINGS),
                          read(rs.getString(2), new TypeReference<AttemptRecord>() {})));
                }
              }
              return out;
            })
        .join();
  }

  @Override
  public CompletableFuture<Integer> purgeAttemptsBefore(Instant cutoff) {
    return submit(
        "attempt_purge",
        s -> {
          PreparedStatement ps = s.statement("DELETE FROM attempt WHERE at < ?");
          ps.setString(1, cutoff.toString());
          return ps.executeUpdate();
        });
  }

  private static <T> T read(String json, TypeReference<T> type) {
    try {
      return Json.MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable stored value", e);
    }
  }

  // --- journal

  @Override
  public String encode(Notification notification) {
    return json(notification);
  }

  @Override
  public CompletableFuture<Void> accept(
      Notification notification, String encoded, List<Delivery> deliveries) {
    return submit(
        "journal_accept",
        s -> {
          long nid = s.nextNotificationId++;
          PreparedStatement n =
              s.statement(
                  "INSERT INTO notification (id, body, received_at, pending) VALUES (?, ?, ?, ?)");
          n.setLong(1, nid);
          n.setString(2, encoded != null ? encoded : json(notification));
          n.setString(3, deliveries.getFirst().receivedAt().toString());
          n.setInt(4, deliveries.size());
          n.executeUpdate();
          PreparedStatement j =
              s.statement(
                  "INSERT OR REPLACE INTO journal"
                      + " (id, notification_id, target, fingerprints, received_at, state)"
                      + " VALUES (?, ?, ?, ?, ?, 'accepted')");
          for (Delivery d : deliveries) {
            j.setString(1, d.id());
            j.setLong(2, nid);
            j.setString(3, d.target());
            j.setString(4, json(d.fingerprints()));
            j.setString(5, d.receivedAt().toString());
            j.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public void finish(String deliveryId) {
    submit(
        "journal_finish",
        s -> {
          long nid;
          PreparedStatement q = s.statement("SELECT notification_id FROM journal WHERE id = ?");
          q.setString(1, deliveryId);
          try (ResultSet rs = q.executeQuery()) {
            if (!rs.next()) {
              return null;
            }
            nid = rs.getLong(1);
          }
          PreparedStatement d = s.statement("DELETE FROM journal WHERE id = ?");
          d.setString(1, deliveryId);
          d.executeUpdate();
          PreparedStatement n =
              s.statement("UPDATE notification SET pending = pending - 1 WHERE id = ?");
          n.setLong(1, nid);
          n.executeUpdate();
          PreparedStatement gone =
              s.statement("DELETE FROM notification WHERE id = ? AND pending <= 0");
          gone.setLong(1, nid);
          gone.executeUpdate();
          return null;
        });
  }

  @Override
  public List<Delivery> unfinished() {
    try {
      return this.<List<Delivery>>submit("journal_recover", SqliteStore::readUnfinished).join();
    } catch (CompletionException e) {
      throw new IllegalStateException("cannot read the journal", e.getCause());
    }
  }

  private static List<Delivery> readUnfinished(SqliteStore s) throws SQLException {
    Map<Long, Notification> notifications = new HashMap<>();
    List<Delivery> out = new ArrayList<>();
    try (Statement st = s.connection.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT j.id, j.target, j.fingerprints, j.received_at, n.id, n.body"
                    + " FROM journal j JOIN notification n ON n.id = j.notification_id"
                    + " ORDER BY j.received_at, n.id")) {
      while (rs.next()) {
        long nid = rs.getLong(5);
        Notification n = notifications.get(nid);
        if (n == null) {
          n = notification(rs.getString(6));
          notifications.put(nid, n);
        }
        out.add(delivery(rs.getString(1), rs.getString(2), n, rs.getString(3), rs.getString(4)));
      }
    }
    return out;
  }

  @Override
  public boolean durable() {
    return true;
  }

  // --- encoding shared with the dead letters

  static String json(Object value) {
    try {
      return Json.MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Notification notification(String json) {
    try {
      return Json.MAPPER.readValue(json, Notification.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable stored notification", e);
    }
  }

  /** Rebuilds a delivery: the notification's alerts with the stored fingerprints. */
  static Delivery delivery(
      String id, String target, Notification n, String fingerprints, String receivedAt) {
    Set<String> wanted;
    try {
      wanted = new HashSet<>(Json.MAPPER.readValue(fingerprints, STRINGS));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable stored fingerprints", e);
    }
    List<Alert> alerts = n.alerts().stream().filter(a -> wanted.contains(a.fingerprint())).toList();
    return new Delivery(id, target, n, alerts, Instant.parse(receivedAt));
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    queue.add(STOP);
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      for (PreparedStatement ps : statements.values()) {
        ps.close();
      }
      connection.close();
    } catch (SQLException e) {
      log.atWarn().addKeyValue("error", e.getMessage()).log("store close failed");
    }
    log.info("store closed");
  }
}
