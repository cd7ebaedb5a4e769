package io.alerthistory.bench;

import io.alerthistory.alert.Notification;
import io.alerthistory.config.DatabaseUrl;
import io.alerthistory.delivery.DeliveryEngine;
import io.alerthistory.delivery.DeliverySettings;
import io.alerthistory.delivery.Dispatcher;
import io.alerthistory.delivery.InMemoryDeadLetterStore;
import io.alerthistory.delivery.Journal;
import io.alerthistory.ingest.IngestService;
import io.alerthistory.store.JdbcStore;
import io.alerthistory.store.StoreSettings;
import io.alerthistory.target.TargetRegistry;
import io.alerthistory.testing.TempDirs;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The SQLite journal's cost, engine-level, its only target silent (nothing is delivered, so only
 * intake is measured):
 *
 * <ul>
 *   <li>{@code webhook [notifications] [concurrency]}: webhook bodies through the ingest service
 *       (parse, validate, dispatch; no HTTP) with the in-memory engine, then with the SQLite
 *       journal, where each call returns once its deliveries are committed.
 *   <li>{@code dispatch [notifications] [concurrency]}: the same, parsed notifications straight to
 *       the engine: the journal against a lock and an enqueue.
 *   <li>{@code recover [deliveries]}: journals that many deliveries, then times a restart: open the
 *       store, read the journal, requeue everything in the lanes.
 * </ul>
 */
public final class StoreBench {
  private StoreBench() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "webhook";
    switch (mode) {
      case "dispatch", "webhook" ->
          ingest(
              mode,
              args.length > 1 ? Integer.parseInt(args[1]) : 50_000,
              args.length > 2 ? Integer.parseInt(args[2]) : 64);
      case "recover" -> recover(args.length > 1 ? Integer.parseInt(args[1]) : 100_000);
      default -> throw new IllegalArgumentException("webhook, dispatch or recover");
    }
    System.exit(0);
  }

  /** A one-alert webhook body as Alertmanager sends it. */
  private static byte[] body(int i) {
    return """
        {"version": "4", "groupKey": "{}:{alertname=\\"Ingest%d\\"}", "status": "firing",
         "receiver": "alert-history", "groupLabels": {"alertname": "Ingest%d"},
         "commonLabels": {"alertname": "Ingest%d", "severity": "warning"},
         "commonAnnotations": {}, "externalURL": "http://alertmanager:9093",
         "alerts": [{"status": "firing", "fingerprint": "%016x",
           "labels": {"alertname": "Ingest%d", "severity": "warning", "namespace": "payments",
                      "pod": "api-%05d", "container": "api"},
           "annotations": {"summary": "Pod payments/api-%05d is crash looping"},
           "startsAt": "2026-03-01T09:00:00Z", "endsAt": "0001-01-01T00:00:00Z",
           "generatorURL": "http://prometheus:9090/graph?g0.expr=up"}]}
        """
        .formatted(i, i, i, i, i, i, i)
        .getBytes(StandardCharsets.UTF_8);
  }

  public static DeliverySettings settings() {
    return DeliverySettings.defaults().toBuilder()
        .dedupWindow(Duration.ZERO)
        // room for a long warm-up and run against a target that never answers
        .queueCapacity(10_000_000)
        .maxAge(Duration.ofHours(1))
        .build();
  }

  static void ingest(String mode, int count, int concurrency) throws Exception {
    List<Notification> notes = new ArrayList<>();
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      notes.add(DeliveryBench.notification("Ingest" + i, i));
      bodies.add(body(i));
    }
    int port = closedPort();
    DeliverySettings s = settings();
    boolean webhook = mode.equals("webhook");
    // warm-up, then measured runs alternating so neither gets the JIT's leftovers
    for (int round = 0; round < 2; round++) {
      DeliveryEngine memory =
          DeliveryBench.engine(
              DeliveryBench.targets(1, port, false),
              s,
              new InMemoryDeadLetterStore(s.deadLetterCapacity()),
              Journal.NONE);
      double inMemory =
          webhook ? ingestRate(memory, bodies, concurrency) : rate(memory, notes, concurrency);
      memory.shutdown(Duration.ZERO);

      Path dir = TempDirs.deletedOnExit("store-bench");
      PrometheusRegistry metrics = new PrometheusRegistry();
      JdbcStore store = open(dir, metrics, s.deadLetterCapacity());
      DeliveryEngine durable =
          DeliveryBench.engine(
              DeliveryBench.targets(1, port, false), s, store.deadLetters(), store.journal());
      double sqlite =
          webhook ? ingestRate(durable, bodies, concurrency) : rate(durable, notes, concurrency);
      durable.shutdown(Duration.ZERO);
      store.close();
      var commits =
          (io.prometheus.metrics.model.snapshots.HistogramSnapshot)
              metrics.scrape().stream()
                  .filter(
                      m ->
                          m.getMetadata()
                              .getName()
                              .startsWith("alert_history_store_journal_commit"))
                  .findFirst()
                  .orElseThrow();
      var c = commits.getDataPoints().getFirst();
      System.out.printf(
          "  %d commits, %.1f operations per commit, %.2f ms per commit%n",
          c.getCount(), (double) count / c.getCount(), 1000 * c.getSum() / c.getCount());
      System.out.printf(
          "%s %s: in-memory %.0f notifications/s, SQLite journal %.0f notifications/s (%.0f%%),"
              + " %d notifications, %d concurrent%n",
          mode,
          round == 0 ? "warm-up" : "measured",
          inMemory,
          sqlite,
          100 * sqlite / inMemory,
          count,
          concurrency);
    }
  }

  private static double rate(DeliveryEngine engine, List<Notification> notes, int concurrency)
      throws Exception {
    return rate(
        notes,
        concurrency,
        n -> {
          if (!(engine.dispatch(n) instanceof Dispatcher.Queued)) {
            throw new IllegalStateException("refused");
          }
        });
  }

  /** Webhook bodies through the ingest service: parse, validate, dispatch; no HTTP. */
  private static double ingestRate(DeliveryEngine engine, List<byte[]> bodies, int concurrency)
      throws Exception {
    IngestService ingest = new IngestService(engine, new PrometheusRegistry(), 4 << 20);
    return rate(
        bodies,
        concurrency,
        b -> {
          var outcome = ingest.ingest("application/json", b.length, new ByteArrayInputStream(b));
          if (!(outcome instanceof IngestService.Accepted)) {
            throw new IllegalStateException("refused: " + outcome);
          }
        });
  }

  private interface Call<T> {
    void run(T item) throws Exception;
  }

  private static <T> double rate(List<T> items, int concurrency, Call<T> call) throws Exception {
    long start = System.nanoTime();
    try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> done = new ArrayList<>();
      int per = (items.size() + concurrency - 1) / concurrency;
      for (int c = 0; c < concurrency; c++) {
        List<T> mine =
            items.subList(Math.min(c * per, items.size()), Math.min((c + 1) * per, items.size()));
        done.add(
            callers.submit(
                () -> {
                  for (T item : mine) {
                    call.run(item);
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    return items.size() / ((System.nanoTime() - start) / 1e9);
  }

  /** SQLite under {@code dir}, or the PostgreSQL database of DATABASE_URL when it is set. */
  public static JdbcStore open(Path dir, PrometheusRegistry metrics, int deadLetterCapacity) {
    return open(dir, metrics, deadLetterCapacity, java.time.Clock.systemUTC());
  }

  /** As {@link #open(Path, PrometheusRegistry, int)}, with leases measured on {@code clock}. */
  static JdbcStore open(
      Path dir, PrometheusRegistry metrics, int deadLetterCapacity, java.time.Clock clock) {
    StoreSettings settings =
        new StoreSettings(deadLetterCapacity, StoreSettings.DEFAULT_LEASE, "bench", clock);
    String url = System.getenv("DATABASE_URL");
    return url == null
        ? JdbcStore.openSqlite(dir, settings, metrics)
        : JdbcStore.openPostgres(DatabaseUrl.parse(url), settings, metrics);
  }

  static void recover(int deliveries) throws Exception {
    int port = closedPort();
    DeliverySettings s = settings();
    Path dir = TempDirs.deletedOnExit("store-bench");
    JdbcStore store = open(dir, new PrometheusRegistry(), s.deadLetterCapacity());
    DeliveryEngine first =
        DeliveryBench.engine(
            DeliveryBench.targets(1, port, false), s, store.deadLetters(), store.journal());
    List<Notification> notes = new ArrayList<>();
    for (int i = 0; i < deliveries; i++) {
      notes.add(DeliveryBench.notification("Recover" + i, i));
    }
    rate(first, notes, 64);
    // no engine shutdown: as after kill -9, everything is left in the journal
    store.close();

    long start = System.nanoTime();
    // as a process started after the first one's lease ran out (PostgreSQL)
    JdbcStore reopened =
        open(
            dir,
            new PrometheusRegistry(),
            s.deadLetterCapacity(),
            java.time.Clock.offset(
                java.time.Clock.systemUTC(), StoreSettings.DEFAULT_LEASE.plusSeconds(1)));
    TargetRegistry targets = DeliveryBench.targets(1, port, false);
    DeliveryEngine second =
        DeliveryBench.engine(targets, s, reopened.deadLetters(), reopened.journal());
    long opened = System.nanoTime();
    var unfinished = reopened.journal().unfinished();
    long read = System.nanoTime();
    second.recover(unfinished);
    long end = System.nanoTime();
    if (second.pending() != deliveries) {
      throw new IllegalStateException("recovered " + second.pending() + " of " + deliveries);
    }
    System.out.printf(
        "recovery of %d journaled deliveries: %.0f ms (open %.0f ms, read journal %.0f ms,"
            + " requeue %.0f ms); %s%n",
        deliveries,
        (end - start) / 1e6,
        (opened - start) / 1e6,
        (read - opened) / 1e6,
        (end - read) / 1e6,
        System.getenv("DATABASE_URL") != null
            ? "PostgreSQL"
            : "SQLite file %.1f MB"
                .formatted(Files.size(dir.resolve(JdbcStore.SQLITE_FILE)) / 1e6));
    second.shutdown(Duration.ZERO);
    reopened.close();
  }

  /**
   * A port that takes connections and never answers: each lane's few requests hang in flight and
   * the rest wait queued, so delivery work does not compete with intake for the CPU.
   */
  public static int closedPort() throws Exception {
    ServerSocket silent = new ServerSocket(0, 10_000);
    return silent.getLocalPort();
  }
}
