package io.alerthistory.bench;

import io.alerthistory.alert.Notification;
import io.alerthistory.delivery.DeliveryEngine;
import io.alerthistory.delivery.DeliverySettings;
import io.alerthistory.delivery.Dispatcher;
import io.alerthistory.delivery.InMemoryDeadLetterStore;
import io.alerthistory.delivery.Journal;
import io.alerthistory.store.SqliteStore;
import io.alerthistory.target.TargetRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.ServerSocket;
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
 *   <li>{@code ingest [notifications] [concurrency]}: dispatch rate with the in-memory engine, then
 *       with the SQLite journal (each dispatch returns once its deliveries are committed).
 *   <li>{@code recover [deliveries]}: journals that many deliveries, then times a restart: open the
 *       store, read the journal, requeue everything in the lanes.
 * </ul>
 */
public final class StoreBench {
  private StoreBench() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "ingest";
    switch (mode) {
      case "ingest" ->
          ingest(
              args.length > 1 ? Integer.parseInt(args[1]) : 50_000,
              args.length > 2 ? Integer.parseInt(args[2]) : 64);
      case "recover" -> recover(args.length > 1 ? Integer.parseInt(args[1]) : 100_000);
      default -> throw new IllegalArgumentException("ingest or recover");
    }
    System.exit(0);
  }

  private static DeliverySettings settings() {
    return DeliverySettings.defaults().toBuilder()
        .dedupWindow(Duration.ZERO)
        .queueCapacity(1_000_000)
        .maxAge(Duration.ofHours(1))
        .build();
  }

  static void ingest(int count, int concurrency) throws Exception {
    List<Notification> notes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      notes.add(DeliveryBench.notification("Ingest" + i, i));
    }
    int port = closedPort();
    DeliverySettings s = settings();
    // warm-up, then measured runs alternating so neither gets the JIT's leftovers
    for (int round = 0; round < 2; round++) {
      DeliveryEngine memory =
          DeliveryBench.engine(
              DeliveryBench.targets(1, port, false),
              s,
              new InMemoryDeadLetterStore(s.deadLetterCapacity()),
              Journal.NONE);
      double inMemory = rate(memory, notes, concurrency);
      memory.shutdown(Duration.ZERO);

      Path dir = Files.createTempDirectory("store-bench");
      SqliteStore store = SqliteStore.open(dir, new PrometheusRegistry(), s.deadLetterCapacity());
      DeliveryEngine durable =
          DeliveryBench.engine(
              DeliveryBench.targets(1, port, false), s, store.deadLetters(), store.journal());
      double sqlite = rate(durable, notes, concurrency);
      durable.shutdown(Duration.ZERO);
      store.close();
      System.out.printf(
          "%s: in-memory %.0f notifications/s, SQLite journal %.0f notifications/s (%.0f%%),"
              + " %d notifications, %d concurrent%n",
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
    long start = System.nanoTime();
    try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> done = new ArrayList<>();
      int per = (notes.size() + concurrency - 1) / concurrency;
      for (int c = 0; c < concurrency; c++) {
        List<Notification> mine =
            notes.subList(Math.min(c * per, notes.size()), Math.min((c + 1) * per, notes.size()));
        done.add(
            callers.submit(
                () -> {
                  for (Notification n : mine) {
                    if (!(engine.dispatch(n) instanceof Dispatcher.Queued)) {
                      throw new IllegalStateException("refused");
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    return notes.size() / ((System.nanoTime() - start) / 1e9);
  }

  static void recover(int deliveries) throws Exception {
    int port = closedPort();
    DeliverySettings s = settings();
    Path dir = Files.createTempDirectory("store-bench");
    SqliteStore store = SqliteStore.open(dir, new PrometheusRegistry(), s.deadLetterCapacity());
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
    SqliteStore reopened = SqliteStore.open(dir, new PrometheusRegistry(), s.deadLetterCapacity());
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
            + " requeue %.0f ms); database %.1f MB%n",
        deliveries,
        (end - start) / 1e6,
        (opened - start) / 1e6,
        (read - opened) / 1e6,
        (end - read) / 1e6,
        Files.size(reopened.file()) / 1e6);
    second.shutdown(Duration.ZERO);
    reopened.close();
  }

  /**
   * A port that takes connections and never answers: each lane's few requests hang in flight and
   * the rest wait queued, so delivery work does not compete with intake for the CPU.
   */
  private static int closedPort() throws Exception {
    ServerSocket silent = new ServerSocket(0, 10_000);
    return silent.getLocalPort();
  }
}
