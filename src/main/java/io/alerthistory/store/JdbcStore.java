package io.alerthistory.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.alerthistory.alert.Notification;
import io.alerthistory.config.ConfigException;
import io.alerthistory.config.DatabaseUrl;
import io.alerthistory.delivery.AttemptRecord;
import io.alerthistory.delivery.DeadLetterStore;
import io.alerthistory.delivery.Delivery;
import io.alerthistory.delivery.Journal;
import io.alerthistory.stats.StatsSnapshot;
import io.alerthistory.time.Scheduler;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store on SQLite (a file under DATA_DIR, one process) or PostgreSQL (DATABASE_URL, shared by
 * replicas). The SQL is the same for both but for the claim query (see {@link Dialect}).
 *
 * <p>Every journal row has an owner. On PostgreSQL each replica holds one lease in {@code
 * replica_lease} and renews it while it lives; rows whose owner's lease ran out (their replica
 * died) are claimed by the others with {@code FOR UPDATE SKIP LOCKED}, so each is taken over once.
 */
public final class JdbcStore implements Store, Journal {
  private static final Logger log = LoggerFactory.getLogger(JdbcStore.class);
  public static final String SQLITE_FILE = "alert-history.db";

  /** How long a SQLite write waits for a lock held by another process before it fails. */
  private static final int BUSY_TIMEOUT_MS = 2000;

  /** Saved stats rings older than this belong to replicas that are gone. */
  private static final Duration STATS_KEPT = Duration.ofHours(25);

  /**
   * Leases that ran out this long ago belong to replicas that are gone; once those own no rows
   * their lease is deleted. Long enough that a replica cut off from the database and back again has
   * renewed its lease before it could lose it.
   */
  private static final Duration LEASES_KEPT = Duration.ofHours(24);

  private final Database db;
  private final Dialect dialect;
  // removes the database password from texts the API shows
  private final UnaryOperator<String> scrub;
  // the start-up error naming the setting that points at an unusable database
  private final Function<Throwable, ConfigException> unusable;
  private final StoreSettings settings;
  private final String owner;
  private final String statsKey;
  private final JdbcDeadLetterStore deadLetters;
  private final JdbcIncidentStore incidents;
  private final Counter takenOver;
  private volatile Scheduler leases;

  private JdbcStore(
      Database db,
      Dialect dialect,
      StoreSettings settings,
      UnaryOperator<String> scrub,
      Function<Throwable, ConfigException> unusable,
      PrometheusRegistry registry) {
    this.db = db;
    this.unusable = unusable;
    this.scrub = scrub;
    this.dialect = dialect;
    this.settings = settings;
    // one process owns a SQLite file: its rows need no owner's name
    this.owner =
        dialect.shared
            ? settings.replica()
                + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt())
            : "";
    // one SQLite file belongs to one service, whatever its host is called after a reschedule
    this.statsKey = dialect.shared ? settings.replica() : "local";
    this.deadLetters = new JdbcDeadLetterStore(db, settings.deadLetterCapacity());
    this.incidents = new JdbcIncidentStore(db);
    this.takenOver =
        Counter.builder()
            .name("alert_history_store_deliveries_taken_over_total")
            .help("Journaled deliveries this replica claimed after their owner's lease ran out.")
            .register(registry);
  }

  /**
   * Opens (creating if needed) {@code alert-history.db} under the data directory.
   *
   * @throws ConfigException naming DATA_DIR when the directory or database cannot be used
   */
  public static JdbcStore openSqlite(
      Path dataDir, StoreSettings settings, PrometheusRegistry registry) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new ConfigException("DATA_DIR", dataDir.toString(), "a directory that can be created");
    }
    if (!Files.isDirectory(dataDir) || !Files.isWritable(dataDir)) {
      throw new ConfigException("DATA_DIR", dataDir.toString(), "a writable directory");
    }
    Path file = dataDir.resolve(SQLITE_FILE).toAbsolutePath();
    String url = "jdbc:sqlite:" + file;
    Database.ConnectionFactory writer =
        () -> {
          Connection c = DriverManager.getConnection(url);
          try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
            s.execute("PRAGMA journal_mode = WAL");
            // FULL: a commit survives power loss, not just a process crash; group commit pays
            s.execute("PRAGMA synchronous = FULL");
          }
          return c;
        };
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(url);
    pool.setMaximumPoolSize(4);
    pool.setConnectionInitSql("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
    Function<Throwable, ConfigException> unusable =
        e ->
            new ConfigException(
                "DATA_DIR",
                dataDir.toString(),
                "a directory holding a usable SQLite database (" + e.getMessage() + ")");
    try {
      JdbcStore store =
          open(
              Dialect.SQLITE, writer, pool, settings, UnaryOperator.identity(), unusable, registry);
      log.atInfo().addKeyValue("file", file.toString()).log("store opened");
      return store;
    } catch (SQLException | RuntimeException e) {
      throw unusable.apply(e);
    }
  }

  /**
   * Connects to PostgreSQL, creating or migrating the schema.
   *
   * @throws ConfigException naming DATABASE_URL (without its password) when it cannot be used
   */
  public static JdbcStore openPostgres(
      DatabaseUrl url, StoreSettings settings, PrometheusRegistry registry) {
    Properties props = new Properties();
    if (url.user() != null) {
      props.setProperty("user", url.user());
    }
    if (url.password() != null) {
      props.setProperty("password", url.password());
    }
    props.setProperty("connectTimeout", "5");
    props.setProperty("socketTimeout", "30");
    props.setProperty("tcpKeepAlive", "true");
    // batched inserts go as multi-row statements: one round trip per group commit
    props.setProperty("reWriteBatchedInserts", "true");
    Database.ConnectionFactory writer = () -> DriverManager.getConnection(url.jdbcUrl(), props);
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(url.jdbcUrl());
    pool.setDataSourceProperties(props);
    pool.setMaximumPoolSize(8);
    pool.setConnectionTimeout(5000);
    // start even when the database is briefly away; the first use reports it
    pool.setInitializationFailTimeout(-1);
    Function<Throwable, ConfigException> unusable =
        e ->
            new ConfigException(
                "DATABASE_URL",
                url.redacted(),
                "a reachable PostgreSQL database ("
                    + url.scrub(String.valueOf(e.getMessage()))
                    + ")");
    try {
      JdbcStore store =
          open(Dialect.POSTGRESQL, writer, pool, settings, url::scrub, unusable, registry);
      log.atInfo().addKeyValue("database", url.redacted()).log("store opened");
      return store;
    } catch (ConfigException e) {
      throw e;
    } catch (SQLException | RuntimeException e) {
      throw unusable.apply(e);
    }
  }

  /**
   * Opens the write connection and the read pool; the writer brings the schema up to date before
   * its first write. On PostgreSQL this waits for that and writes the replica's lease.
   */
  private static JdbcStore open(
      Dialect dialect,
      Database.ConnectionFactory writer,
      HikariConfig pool,
      StoreSettings settings,
      UnaryOperator<String> scrub,
      Function<Throwable, ConfigException> unusable,
      PrometheusRegistry registry)
      throws SQLException {
    pool.setPoolName("store-read");
    Connection c = writer.open();
    HikariDataSource readers = new HikariDataSource(pool);
    Database db =
        new Database(c, writer, readers, () -> Migrations.apply(readers, dialect), registry);
    JdbcStore store = new JdbcStore(db, dialect, settings, scrub, unusable, registry);
    if (dialect.shared) {
      store.awaitOpen();
      // before the first accept: rows of an owner without a lease would not be claimed
      store.renewLeases();
    }
    return store;
  }

  /**
   * Waits until the schema is created or migrated; a first start does that while the rest of the
   * service starts.
   *
   * @throws ConfigException naming DATA_DIR or DATABASE_URL when the database cannot be prepared
   */
  @Override
  public void awaitOpen() {
    try {
      db.awaitPrepared("open");
    } catch (StoreUnavailableException e) {
      throw unusable.apply(e.getCause());
    }
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

  @Override
  public Optional<String> unavailable() {
    return Optional.ofNullable(db.check()).map(scrub);
  }

  // --- leases

  /**
   * On PostgreSQL, renews this replica's lease and claims the rows of expired ones every third of
   * the lease, handing what it claimed to {@code takeOver}. Nothing to do on SQLite.
   */
  @Override
  public void startLeases(Scheduler scheduler, Consumer<List<Delivery>> takeOver) {
    if (!dialect.shared) {
      return;
    }
    leases = scheduler;
    scheduleLeases(takeOver);
  }

  private void scheduleLeases(Consumer<List<Delivery>> takeOver) {
    Scheduler s = leases;
    if (s == null) {
      return;
    }
    s.schedule(
        settings.lease().dividedBy(3),
        () -> {
          try {
            renewLeases();
            List<Delivery> claimed = claimExpired();
            if (!claimed.isEmpty()) {
              takenOver.inc(claimed.size());
              log.atWarn()
                  .addKeyValue("deliveries", claimed.size())
                  .log("took over deliveries whose replica stopped renewing its lease");
              takeOver.accept(claimed);
            }
          } catch (RuntimeException e) {
            log.atWarn().addKeyValue("error", e.getMessage()).log("lease renewal failed");
          }
          scheduleLeases(takeOver);
        });
  }

  private long leaseEnd() {
    return settings.clock().millis() + settings.lease().toMillis();
  }

  /**
   * Writes this replica's lease end, and forgets replicas gone for a day that own no rows any more.
   * A replica's lease is one row, whatever the size of its backlog.
   */
  private void renewLeases() {
    db.write(
        "lease_renew",
        Database.OnOutage.FAIL,
        w -> {
          PreparedStatement ps =
              w.statement(
                  "INSERT INTO replica_lease (owner, lease_until) VALUES (?, ?)"
                      + " ON CONFLICT (owner) DO UPDATE SET lease_until = excluded.lease_until");
          ps.setString(1, owner);
          ps.setLong(2, leaseEnd());
          ps.executeUpdate();
          PreparedStatement gone =
              w.statement(
                  "DELETE FROM replica_lease r WHERE lease_until < ?"
                      + " AND NOT EXISTS (SELECT 1 FROM journal j WHERE j.owner = r.owner)");
          gone.setLong(1, settings.clock().millis() - LEASES_KEPT.toMillis());
          return gone.executeUpdate();
        });
  }

  /** Claims rows whose owner's lease ran out, with their notifications. */
  private List<Delivery> claimExpired() {
    return claim(settings.clock().millis());
  }

  private List<Delivery> claim(long expiredBefore) {
    List<Delivery> all = new ArrayList<>();
    while (true) {
      List<Delivery> batch =
          db.<List<Delivery>>write(
              "journal_claim", Database.OnOutage.FAIL, w -> claimBatch(w, expiredBefore));
      all.addAll(batch);
      // SQLite claims everything at once; PostgreSQL a bounded batch at a time
      if (!dialect.shared || batch.size() < Dialect.CLAIM_BATCH) {
        return all;
      }
    }
  }

  private record Claimed(
      String id,
      String notificationId,
      String target,
      String fingerprints,
      String receivedAt,
      String body) {}

  private List<Delivery> claimBatch(Database.Writer w, long expiredBefore) throws SQLException {
    PreparedStatement claim = w.statement(dialect.claimSql);
    if (dialect.shared) {
      claim.setString(1, owner);
      claim.setLong(2, expiredBefore);
    }
    List<Claimed> rows = new ArrayList<>();
    try (ResultSet rs = claim.executeQuery()) {
      while (rs.next()) {
        rows.add(
            new Claimed(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6)));
      }
    }
    Map<String, Notification> notifications = new HashMap<>();
    List<Delivery> out = new ArrayList<>(rows.size());
    for (Claimed r : rows) {
      Notification n = notifications.get(r.notificationId());
      if (n == null) {
        String body = r.body() != null ? r.body() : body(w, r.notificationId());
        if (body == null) {
          continue;
        }
        n = Rows.notification(body);
        notifications.put(r.notificationId(), n);
      }
      out.add(Rows.delivery(r.id(), r.target(), n, r.fingerprints(), r.receivedAt()));
    }
    out.sort(java.util.Comparator.comparing(Delivery::receivedAt));
    return out;
  }

  private static String body(Database.Writer w, String notificationId) throws SQLException {
    PreparedStatement ps = w.statement("SELECT body FROM notification WHERE id = ?");
    ps.setString(1, notificationId);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  // --- journal

  @Override
  public String encode(Notification notification) {
    return Rows.json(notification);
  }

  @Override
  public CompletableFuture<Void> accept(
      Notification notification, String encoded, List<Delivery> deliveries) {
    // encoded here, on the caller's thread: the writer thread is the one all webhooks wait for
    String nid = deliveries.getFirst().id();
    String body = encoded != null ? encoded : Rows.json(notification);
    String[][] rows = new String[deliveries.size()][];
    for (int i = 0; i < rows.length; i++) {
      Delivery d = deliveries.get(i);
      rows[i] =
          new String[] {
            d.id(), d.target(), Rows.json(d.fingerprints()), Times.format(d.receivedAt())
          };
    }
    String receivedAt = rows[0][3];
    return db.submit(
        "journal_accept",
        w -> {
          PreparedStatement n =
              w.batched(
                  "INSERT INTO notification (id, body, received_at, pending) VALUES (?, ?, ?, ?)"
                      + " ON CONFLICT (id)"
                      + " DO UPDATE SET pending = notification.pending + excluded.pending");
          n.setString(1, nid);
          n.setString(2, body);
          n.setString(3, receivedAt);
          n.setInt(4, rows.length);
          n.addBatch();
          PreparedStatement j =
              w.batched(
                  "INSERT INTO journal (id, notification_id, target, fingerprints, received_at,"
                      + " owner) VALUES (?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT (id) DO UPDATE SET owner = excluded.owner");
          for (String[] r : rows) {
            j.setString(1, r[0]);
            j.setString(2, nid);
            j.setString(3, r[1]);
            j.setString(4, r[2]);
            j.setString(5, r[3]);
            j.setString(6, owner);
            j.addBatch();
          }
          return null;
        });
  }

  /** Retried until written: a delivery left in the journal would be sent again after a restart. */
  @Override
  public void finish(String deliveryId) {
    db.submit(
        "journal_finish",
        Database.OnOutage.RETRY,
        w -> {
          PreparedStatement d =
              w.statement("DELETE FROM journal WHERE id = ? RETURNING notification_id");
          d.setString(1, deliveryId);
          String nid;
          try (ResultSet rs = d.executeQuery()) {
            if (!rs.next()) {
              return null;
            }
            nid = rs.getString(1);
          }
          PreparedStatement n =
              w.statement("UPDATE notification SET pending = pending - 1 WHERE id = ?");
          n.setString(1, nid);
          n.executeUpdate();
          PreparedStatement gone =
              w.statement("DELETE FROM notification WHERE id = ? AND pending <= 0");
          gone.setString(1, nid);
          gone.executeUpdate();
          return null;
        });
  }

  /**
   * The deliveries to requeue at start: on SQLite every journaled one; on PostgreSQL those whose
   * lease ran out (rows of live replicas stay theirs).
   */
  @Override
  public List<Delivery> unfinished() {
    try {
      // a replayed delivery keeps the journal row of its first accept, which can leave the
      // notification stored for the replay without rows
      db.write(
          "journal_recover",
          Database.OnOutage.FAIL,
          w -> w.statement(dialect.orphanCleanupSql).executeUpdate());
      return claim(settings.clock().millis());
    } catch (StoreUnavailableException e) {
      throw new IllegalStateException("cannot read the journal", e);
    }
  }

  // --- attempts

  @Override
  public void attempted(List<String> fingerprints, AttemptRecord attempt) {
    db.submit(
        "attempt_add",
        w -> {
          PreparedStatement a =
              w.statement("INSERT INTO attempt (at, record) VALUES (?, ?) RETURNING id");
          a.setString(1, Times.format(Instant.parse(attempt.at())));
          a.setString(2, Rows.json(attempt));
          long id;
          try (ResultSet rs = a.executeQuery()) {
            rs.next();
            id = rs.getLong(1);
          }
          PreparedStatement f =
              w.batched(
                  "INSERT INTO attempt_alert (fingerprint, attempt_id) VALUES (?, ?)"
                      + " ON CONFLICT DO NOTHING");
          for (String fp : fingerprints) {
            f.setString(1, fp);
            f.setLong(2, id);
            f.addBatch();
          }
          return null;
        });
  }

  @Override
  public List<AttemptRecord> history(String fingerprint, Instant since, int limit) {
    return db.read(
        "attempt_load",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT a.record FROM attempt_alert f JOIN attempt a ON a.id = f.attempt_id"
                      + " WHERE f.fingerprint = ? AND a.at >= ?"
                      + " ORDER BY f.attempt_id DESC LIMIT ?")) {
            ps.setString(1, fingerprint);
            ps.setString(2, Times.format(since));
            ps.setInt(3, limit);
            List<AttemptRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(Rows.read(rs.getString(1), ATTEMPT));
              }
            }
            return out.reversed();
          }
        });
  }

  private static final com.fasterxml.jackson.core.type.TypeReference<AttemptRecord> ATTEMPT =
      new com.fasterxml.jackson.core.type.TypeReference<>() {};

  @Override
  public CompletableFuture<Integer> purgeAttemptsBefore(Instant cutoff) {
    return db.submit(
        "attempt_purge",
        w -> {
          PreparedStatement f =
              w.statement(
                  "DELETE FROM attempt_alert WHERE attempt_id IN"
                      + " (SELECT id FROM attempt WHERE at < ?)");
          f.setString(1, Times.format(cutoff));
          f.executeUpdate();
          PreparedStatement a = w.statement("DELETE FROM attempt WHERE at < ?");
          a.setString(1, Times.format(cutoff));
          return a.executeUpdate();
        });
  }

  @Override
  public boolean durable() {
    return true;
  }

  // --- stats rings

  @Override
  public Optional<StatsSnapshot> stats() {
    return db.read(
        "stats_load",
        c -> {
          Map<String, int[]> rings = new HashMap<>();
          Instant takenAt = null;
          int slots = 0;
          int stride = 0;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT target, taken_at, slots, stride, data FROM stats_ring WHERE replica = ?")) {
            ps.setString(1, statsKey);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                takenAt = Times.parse(rs.getString(2));
                slots = rs.getInt(3);
                stride = rs.getInt(4);
                IntBuffer ints =
                    ByteBuffer.wrap(Base64.getDecoder().decode(rs.getString(5))).asIntBuffer();
                int[] data = new int[ints.remaining()];
                ints.get(data);
                rings.put(rs.getString(1), data);
              }
            }
          }
          return takenAt == null
              ? Optional.empty()
              : Optional.of(new StatsSnapshot(takenAt, slots, stride, rings));
        });
  }

  @Override
  public CompletableFuture<Void> saveStats(StatsSnapshot snapshot) {
    return db.submit(
        "stats_save",
        w -> {
          PreparedStatement clear =
              w.statement("DELETE FROM stats_ring WHERE replica = ? OR taken_at < ?");
          clear.setString(1, statsKey);
          // rings of replicas gone for longer than the rings span (renamed pods) hold nothing
          clear.setString(2, Times.format(snapshot.takenAt().minus(STATS_KEPT)));
          clear.executeUpdate();
          PreparedStatement ps =
              w.statement(
                  "INSERT INTO stats_ring (replica, target, taken_at, slots, stride, data)"
                      + " VALUES (?, ?, ?, ?, ?, ?)");
          for (Map.Entry<String, int[]> ring : snapshot.rings().entrySet()) {
            ByteBuffer bytes = ByteBuffer.allocate(ring.getValue().length * Integer.BYTES);
            bytes.asIntBuffer().put(ring.getValue());
            ps.setString(1, statsKey);
            ps.setString(2, ring.getKey());
            ps.setString(3, Times.format(snapshot.takenAt()));
            ps.setInt(4, snapshot.slots());
            ps.setInt(5, snapshot.stride());
            ps.setString(6, Base64.getEncoder().encodeToString(bytes.array()));
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public void close() {
    Scheduler s = leases;
    leases = null;
    if (s != null) {
      s.shutdown(Duration.ofSeconds(1));
    }
    db.close();
    log.info("store closed");
  }
}
