package io.alerthistory.store;

import com.zaxxer.hikari.HikariDataSource;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One database, SQLite or PostgreSQL, seen as two paths. Writes are queued to one writer thread
 * that owns a connection and commits each batch of queued operations in one transaction: concurrent
 * webhooks share a commit and its fsync (group commit), and operations apply in the order they were
 * queued. Reads run on the calling thread with a pooled connection.
 *
 * <p>When a batch fails on a connection that still works, its operations are run again one per
 * transaction so that one bad operation fails alone. When the connection is lost, operations marked
 * as retried are kept and written once the database is back; the others fail at once.
 *
 * <p>The writer thread first prepares the database (creates or migrates the schema), so a first
 * start does that while the rest of the service starts; writes queue behind it and reads wait for
 * it.
 */
final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);
  private static final int MAX_BATCH = 2000;

  /**
   * Writes kept in memory while the database is away, at most. Past it they fail: a finish that is
   * not written only means the delivery is sent again after a restart.
   */
  static final int MAX_KEPT = 100_000;

  /** Pause between attempts to reach a database that went away. */
  private static final long RECONNECT_PAUSE_MS = 1000;

  @FunctionalInterface
  interface Work<T> {
    T run(Writer writer) throws SQLException;
  }

  @FunctionalInterface
  interface Query<T> {
    T run(Connection connection) throws SQLException;
  }

  @FunctionalInterface
  interface ConnectionFactory {
    Connection open() throws SQLException;
  }

  /** Whether an operation is kept and written later when the database is unreachable. */
  enum OnOutage {
    FAIL,
    RETRY
  }

  private record Op(
      String operation, Work<?> work, OnOutage onOutage, CompletableFuture<Object> done) {}

  private static final Op STOP =
      new Op("stop", w -> null, OnOutage.FAIL, new CompletableFuture<>());

  /**
   * The writer's connection and its prepared statements; used on the writer thread only. Rows added
   * with {@link #batched} are sent together (one round trip to PostgreSQL for many inserts) before
   * any other statement runs and before the commit, so operations still apply in order.
   */
  static final class Writer {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Map<String, PreparedStatement> pending = new java.util.LinkedHashMap<>();

    private Writer(Connection connection) {
      this.connection = connection;
    }

    /** A statement to run now; rows batched before it are written first. */
    PreparedStatement statement(String sql) throws SQLException {
      flush();
      return prepared(sql);
    }

    /** A statement whose caller adds rows with {@code addBatch()}; they are sent later. */
    PreparedStatement batched(String sql) throws SQLException {
      PreparedStatement ps = prepared(sql);
      pending.putIfAbsent(sql, ps);
      return ps;
    }

    void flush() throws SQLException {
      try {
        for (PreparedStatement ps : pending.values()) {
          ps.executeBatch();
        }
      } finally {
        pending.clear();
      }
    }

    void discard() {
      for (PreparedStatement ps : pending.values()) {
        try {
          ps.clearBatch();
        } catch (SQLException e) {
          // the connection is going; nothing to keep
        }
      }
      pending.clear();
    }

    private PreparedStatement prepared(String sql) throws SQLException {
      PreparedStatement ps = statements.get(sql);
      if (ps == null) {
        ps = connection.prepareStatement(sql);
        statements.put(sql, ps);
      }
      return ps;
    }

    Connection connection() {
      return connection;
    }

    void close() {
      try {
        for (PreparedStatement ps : statements.values()) {
          ps.close();
        }
        connection.close();
      } catch (SQLException e) {
        log.atDebug().addKeyValue("error", e.getMessage()).log("closing a connection failed");
      }
    }
  }

  private final ConnectionFactory connections;
  private final HikariDataSource readers;
  private final Runnable prepare;
  private final CompletableFuture<Void> prepared = new CompletableFuture<>();
  private final WriterInbox<Op> inbox = new WriterInbox<>();
  private final Thread thread;
  private final Histogram commitSeconds;
  private final Counter errors;
  private volatile boolean closed;
  // logged once per outage; guarded by the writer thread
  private boolean away;

  // owned by the writer thread
  private Writer writer;
  private final List<Op> retrying = new ArrayList<>();

  /**
   * @param writerConnection the writer's connection, already open
   * @param connections opens a new writer connection after the old one was lost
   * @param readers the pool reads use
   * @param prepare run on the writer thread before any operation: creates or migrates the schema
   */
  Database(
      Connection writerConnection,
      ConnectionFactory connections,
      HikariDataSource readers,
      Runnable prepare,
      PrometheusRegistry registry) {
    this.writer = new Writer(writerConnection);
    this.connections = connections;
    this.readers = readers;
    this.prepare = prepare;
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
    // a platform thread: the drivers' blocking and native calls would pin a virtual one anyway
    this.thread = Thread.ofPlatform().name("store-writer").daemon().start(this::drain);
  }

  /** Queues a write; it runs on the writer thread inside the next batch's transaction. */
  <T> CompletableFuture<T> submit(String operation, Work<T> work) {
    return submit(operation, OnOutage.FAIL, work);
  }

  @SuppressWarnings("unchecked")
  <T> CompletableFuture<T> submit(String operation, OnOutage onOutage, Work<T> work) {
    CompletableFuture<Object> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(new IllegalStateException("store closed"));
    } else {
      inbox.add(new Op(operation, work, onOutage, done));
    }
    return (CompletableFuture<T>) done;
  }

  /** Queues a write and waits for it; a failure surfaces as {@link StoreUnavailableException}. */
  <T> T write(String operation, OnOutage onOutage, Work<T> work) {
    return await(operation, submit(operation, onOutage, work));
  }

  /** Waits for a queued write; a failure surfaces as {@link StoreUnavailableException}. */
  static <T> T await(String operation, CompletableFuture<T> write) {
    try {
      return write.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof StoreUnavailableException u
          ? u
          : new StoreUnavailableException(operation, e.getCause());
    }
  }

  /**
   * Waits until the database is prepared.
   *
   * @throws StoreUnavailableException when preparing it failed
   */
  void awaitPrepared(String operation) {
    try {
      prepared.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw new StoreUnavailableException(operation, e.getCause());
    }
  }

  /** Runs a read on a pooled connection, counting a failure under {@code operation}. */
  <T> T read(String operation, Query<T> query) {
    awaitPrepared(operation);
    try (Connection c = readers.getConnection()) {
      return query.run(c);
    } catch (SQLException e) {
      errors.labelValues(operation).inc();
      throw new StoreUnavailableException(operation, e);
    }
  }

  /**
   * Asks the database for a trivial answer: null when it gives one, else why not. An idle service
   * must turn ready again without a write, so an earlier outage does not count once it answers.
   */
  String check() {
    if (!prepared.isDone()) {
      return "the database schema is being prepared";
    }
    if (prepared.isCompletedExceptionally()) {
      return "the database could not be prepared: " + prepared.exceptionNow().getMessage();
    }
    try (Connection c = readers.getConnection()) {
      return c.isValid(2) ? null : "the database does not answer";
    } catch (SQLException e) {
      return "the database is unreachable: " + e.getMessage();
    }
  }

  private void drain() {
    try {
      prepare.run();
      prepared.complete(null);
    } catch (RuntimeException e) {
      prepared.completeExceptionally(e);
      refuseAll(e);
      return;
    }
    List<Op> batch = new ArrayList<>();
    boolean stopping = false;
    while (!stopping) {
      try {
        if (retrying.isEmpty()) {
          batch.add(inbox.take());
        } else {
          // the database went away: wait before trying the kept operations again
          Op next = inbox.poll(TimeUnit.MILLISECONDS.toNanos(RECONNECT_PAUSE_MS));
          if (next != null) {
            batch.add(next);
          }
        }
      } catch (InterruptedException e) {
        break;
      }
      inbox.drainTo(batch, MAX_BATCH);
      stopping = batch.remove(STOP);
      List<Op> all = new ArrayList<>(retrying);
      retrying.clear();
      all.addAll(batch);
      run(all);
      batch.clear();
    }
    List<Op> rest = new ArrayList<>(retrying);
    inbox.drainTo(rest, Integer.MAX_VALUE);
    rest.remove(STOP);
    run(rest);
    retrying.clear();
    if (writer != null) {
      writer.close();
    }
  }

  /** The database could not be prepared: every operation fails until the store is closed. */
  private void refuseAll(RuntimeException cause) {
    while (true) {
      Op op;
      try {
        op = inbox.take();
      } catch (InterruptedException e) {
        break;
      }
      if (op == STOP) {
        break;
      }
      refuse(op, cause);
    }
    writer.close();
  }

  private void run(List<Op> batch) {
    if (batch.isEmpty()) {
      return;
    }
    long start = System.nanoTime();
    if (writer == null && !reconnect()) {
      lost(batch, null);
      return;
    }
    Object[] results = new Object[batch.size()];
    try {
      writer.connection().setAutoCommit(false);
      for (int i = 0; i < batch.size(); i++) {
        results[i] = batch.get(i).work().run(writer);
      }
      writer.flush();
      writer.connection().commit();
    } catch (SQLException | RuntimeException e) {
      writer.discard();
      rollback();
      if (!connectionWorks()) {
        lost(batch, e);
        return;
      }
      if (batch.size() == 1) {
        // its batched rows are sent at commit; the operation is what failed
        fail(batch.getFirst(), batch.getFirst().operation(), e);
        return;
      }
      // one operation is at fault: find it by running each on its own
      for (Op op : batch) {
        run(List.of(op));
      }
      return;
    }
    away = false;
    commitSeconds.observe((System.nanoTime() - start) / 1e9);
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).done().complete(results[i]);
    }
  }

  private void fail(Op op, String operation, Exception e) {
    errors.labelValues(operation).inc();
    log.atError()
        .addKeyValue("operation", operation)
        .addKeyValue("error", e.getMessage())
        .log("store write failed and was rolled back");
    op.done().completeExceptionally(e);
  }

  /** The connection is gone: fail what must not wait, keep what is retried. */
  private void lost(List<Op> batch, Exception cause) {
    String why = cause == null ? "no connection" : String.valueOf(cause.getMessage());
    if (!away) {
      log.atError()
          .addKeyValue("error", why)
          .log("store unreachable; writes fail until it is back");
    }
    away = true;
    if (writer != null) {
      writer.close();
      writer = null;
    }
    for (Op op : batch) {
      if (op.onOutage() == OnOutage.RETRY && !closed && retrying.size() < MAX_KEPT) {
        retrying.add(op);
      } else {
        refuse(op, cause);
      }
    }
  }

  /** Fails an operation the database cannot take, counting it. */
  private void refuse(Op op, Exception cause) {
    errors.labelValues(op.operation()).inc();
    op.done().completeExceptionally(new StoreUnavailableException(op.operation(), cause));
  }

  private boolean reconnect() {
    try {
      writer = new Writer(connections.open());
      log.info("store reachable again");
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  private boolean connectionWorks() {
    try {
      return writer.connection().isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private void rollback() {
    try {
      writer.connection().rollback();
    } catch (SQLException e) {
      log.atDebug().addKeyValue("error", e.getMessage()).log("rollback failed");
    }
  }

  /** Writes what is queued (what waits for an unreachable database is given up) and closes. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    inbox.add(STOP);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    readers.close();
  }
}
