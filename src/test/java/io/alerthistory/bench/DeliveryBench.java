package io.alerthistory.bench;

import com.sun.net.httpserver.HttpServer;
import io.alerthistory.alert.Notification;
import io.alerthistory.alert.NotificationParser;
import io.alerthistory.delivery.DeadLetterStore;
import io.alerthistory.delivery.DeliveryEngine;
import io.alerthistory.delivery.DeliverySettings;
import io.alerthistory.delivery.Dispatcher;
import io.alerthistory.delivery.HttpSender;
import io.alerthistory.delivery.InMemoryDeadLetterStore;
import io.alerthistory.delivery.LogSender;
import io.alerthistory.format.Formatters;
import io.alerthistory.json.Json;
import io.alerthistory.stats.DeliveryObserver;
import io.alerthistory.target.SourceEntry;
import io.alerthistory.target.TargetParser;
import io.alerthistory.target.TargetRegistry;
import io.alerthistory.target.TargetSnapshot;
import io.alerthistory.time.ExecutorScheduler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Delivery engine benchmarks on loopback (see the engine report for figures):
 *
 * <ul>
 *   <li>{@code storm [alerts] [targets]}: one burst of notifications, each to every target; the
 *       sink's own ceiling (the same requests sent straight from an HTTP client at the same
 *       concurrency) is measured first as the baseline.
 *   <li>{@code steady [rate/s] [seconds] [targets]}: a steady stream; receive-to-sink latency, with
 *       the sink's own (client-to-sink) latency at the same rate as the baseline.
 *   <li>{@code memory [deliveries] [targets] [shared|unshared]}: fills the lanes while every target
 *       is down and reports retained heap per queued delivery.
 * </ul>
 *
 * Every run is bounded: it gives up after {@code LIMIT}.
 */
public final class DeliveryBench {
  private static final Duration LIMIT = Duration.ofMinutes(3);

  private DeliveryBench() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "storm";
    switch (mode) {
      case "storm" -> storm(arg(args, 1, 10_000), arg(args, 2, 10));
      case "steady" -> steady(arg(args, 1, 1_000), arg(args, 2, 20), arg(args, 3, 1));
      case "memory" ->
          memory(
              arg(args, 1, 100_000), arg(args, 2, 10), args.length < 4 || args[3].equals("shared"));
      default -> throw new IllegalArgumentException("mode: storm | steady | memory");
    }
    System.exit(0);
  }

  private static int arg(String[] args, int i, int fallback) {
    return args.length > i ? Integer.parseInt(args[i]) : fallback;
  }

  /** A minimal JDK HTTP server answering 204, recording when each request arrived. */
  static final class Sink implements AutoCloseable {
    final HttpServer server;
    final AtomicLong received = new AtomicLong();
    final long[] latencyNanos;
    final AtomicInteger latencies = new AtomicInteger();

    Sink(int maxSamples) throws IOException {
      latencyNanos = new long[maxSamples];
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext(
          "/",
          ex -> {
            long now = System.nanoTime();
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
              body = in.readAllBytes();
            }
            long sent = sentAt(body);
            if (sent > 0) {
              int i = latencies.getAndIncrement();
              if (i < latencyNanos.length) {
                latencyNanos[i] = now - sent;
              }
            }
            received.incrementAndGet();
            ex.sendResponseHeaders(204, -1);
            ex.close();
          });
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    long[] samples() {
      return Arrays.copyOf(latencyNanos, Math.min(latencies.get(), latencyNanos.length));
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private static final byte[] MARK = "\"sent_ns\":\"".getBytes(StandardCharsets.UTF_8);

  /** The nanoTime a notification was made, from its {@code sent_ns} annotation; 0 if none. */
  static long sentAt(byte[] body) {
    outer:
    for (int i = 0; i + MARK.length < body.length; i++) {
      for (int j = 0; j < MARK.length; j++) {
        if (body[i + j] != MARK[j]) {
          continue outer;
        }
      }
      long v = 0;
      boolean negative = false;
      for (int k = i + MARK.length; k < body.length && body[k] != '"'; k++) {
        if (body[k] == '-') {
          negative = true;
        } else {
          v = v * 10 + (body[k] - '0');
        }
      }
      return negative ? -v : v;
    }
    return 0;
  }

  public static DeliveryEngine engine(TargetRegistry registry, DeliverySettings settings) {
    return engine(
        registry,
        settings,
        new InMemoryDeadLetterStore(settings.deadLetterCapacity()),
        io.alerthistory.delivery.Journal.NONE);
  }

  public static DeliveryEngine engine(
      TargetRegistry registry,
      DeliverySettings settings,
      io.alerthistory.delivery.DeadLetterStore deadLetters,
      io.alerthistory.delivery.Journal journal) {
    return new DeliveryEngine(
        registry,
        Formatters.standard(),
        new HttpSender(Clock.systemUTC()),
        new LogSender(),
        new PrometheusRegistry(),
        Clock.systemUTC(),
        new ExecutorScheduler("bench-timer"),
        new Random(1),
        settings,
        deadLetters,
        journal,
        DeliveryObserver.NONE);
  }

  /**
   * {@code n} webhook targets named t0.. at the port; with {@code filtered}, ti takes alerts Ti*.
   */
  public static TargetRegistry targets(int n, int port, boolean filtered) throws IOException {
    List<SourceEntry> entries = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String filter = filtered ? ", \"filter\": [\"alertname=~T" + i + "_.*\"]" : "";
      String doc =
          "{\"type\": \"webhook\", \"url\": \"http://127.0.0.1:%d/t%d\"%s}"
              .formatted(port, i, filter);
      entries.add(new SourceEntry.Declared("t" + i, "", "t" + i, Json.MAPPER.readTree(doc)));
    }
    TargetRegistry registry = new TargetRegistry();
    registry.replace(
        TargetSnapshot.build(
            entries,
            new TargetParser(Formatters.standard().available()),
            Clock.systemUTC().instant()));
    return registry;
  }

  /** A realistic one-alert notification stamped with {@code System.nanoTime()}. */
  static Notification notification(String name, int i) {
    String json =
        """
        {"version": "4", "groupKey": "{}:{alertname=\\"%s\\"}", "status": "firing",
         "receiver": "alert-history", "groupLabels": {"alertname": "%s"},
         "commonLabels": {"alertname": "%s", "severity": "warning"}, "commonAnnotations": {},
         "externalURL": "http://alertmanager.monitoring.svc:9093",
         "alerts": [{"status": "firing",
           "labels": {"alertname": "%s", "severity": "warning", "namespace": "payments",
                      "pod": "api-7d9f8b6c5-%05d", "container": "api", "job": "kube-state-metrics"},
           "annotations": {"summary": "Pod payments/api-%05d is crash looping",
                           "runbook_url": "https://runbooks.example.com/KubePodCrashLooping",
                           "sent_ns": "%d"},
           "startsAt": "2026-03-01T09:00:00Z",
           "generatorURL": "http://prometheus.monitoring.svc:9090/graph?g0.expr=up"}]}
        """
            .formatted(name, name, name, name, i, i, System.nanoTime());
    var parsed = new NotificationParser().parse(json.getBytes(StandardCharsets.UTF_8));
    return ((NotificationParser.Parsed) parsed).notification();
  }

  private static DeliverySettings benchSettings() {
    return DeliverySettings.defaults().toBuilder().dedupWindow(Duration.ZERO).build();
  }

  static void storm(int alerts, int targets) throws Exception {
    try (Sink sink = new Sink(1)) {
      List<Notification> notes = new ArrayList<>();
      for (int i = 0; i < alerts; i++) {
        notes.add(notification("Storm" + i, i));
      }
      int concurrency = DeliverySettings.defaults().concurrency() * targets;
      double ceiling = sinkCeiling(sink, notes, targets, concurrency);
      System.out.printf(
          "sink ceiling: %.0f requests/s (JDK HttpClient, %d concurrent, %d requests)%n",
          ceiling, concurrency, (long) alerts * targets);

      sink.received.set(0);
      DeliveryEngine engine = engine(targets(targets, sink.port(), false), benchSettings());
      // warm-up: the same paths, then wait until it is all sent
      for (int i = 0; i < Math.min(2_000, alerts); i++) {
        engine.dispatch(notes.get(i));
      }
      awaitCount(sink, (long) Math.min(2_000, alerts) * targets);
      sink.received.set(0);

      long start = System.nanoTime();
      int refused = 0;
      for (Notification n : notes) {
        if (!(engine.dispatch(n) instanceof Dispatcher.Queued)) {
          refused++;
        }
      }
      long queued = System.nanoTime();
      long expected = (long) (alerts - refused) * targets;
      awaitCount(sink, expected);
      long done = System.nanoTime();
      double seconds = (done - start) / 1e9;
      System.out.printf(
          "storm: %d alerts x %d targets = %d deliveries (%d notifications refused);"
              + " queued in %.0f ms, all delivered in %.2f s: %.0f deliveries/s (%.0f%% of the sink"
              + " ceiling)%n",
          alerts,
          targets,
          expected,
          refused,
          (queued - start) / 1e6,
          seconds,
          expected / seconds,
          100 * expected / seconds / ceiling);
      engine.shutdown(Duration.ofSeconds(5));
    }
  }

  /** The sink driven straight by an HTTP client: the most any sender gets out of it here. */
  static double sinkCeiling(Sink sink, List<Notification> notes, int targets, int concurrency)
      throws Exception {
    HttpClient client =
        HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    byte[] body =
        Formatters.standard()
            .get(io.alerthistory.target.PayloadFormat.WEBHOOK)
            .render(notes.getFirst(), notes.getFirst().alerts());
    long total = (long) notes.size() * targets;
    runClient(client, sink, body, Math.min(total, 20_000), concurrency); // warm-up
    sink.received.set(0);
    long start = System.nanoTime();
    runClient(client, sink, body, total, concurrency);
    return total / ((System.nanoTime() - start) / 1e9);
  }

  private static void runClient(HttpClient client, Sink sink, byte[] body, long n, int concurrency)
      throws Exception {
    Semaphore slots = new Semaphore(concurrency);
    URI uri = URI.create("http://127.0.0.1:" + sink.port() + "/direct");
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (long i = 0; i < n; i++) {
        slots.acquire();
        threads.execute(
            () -> {
              try {
                client.send(
                    HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                    HttpResponse.BodyHandlers.discarding());
              } catch (Exception e) {
                throw new IllegalStateException(e);
              } finally {
                slots.release();
              }
            });
      }
    }
  }

  private static void awaitCount(Sink sink, long expected) {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (sink.received.get() < expected) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "gave up: " + sink.received.get() + " of " + expected + " after " + LIMIT);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  static void steady(int rate, int seconds, int targets) throws Exception {
    int total = rate * seconds;
    try (Sink sink = new Sink(total * targets + 10_000)) {
      // baseline: the sink's own latency, from a client sending the same stream over as many
      // connections as the engine uses (DELIVERY_CONCURRENCY per target)
      HttpClient client =
          HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
      URI uri = URI.create("http://127.0.0.1:" + sink.port() + "/direct");
      var queue = new java.util.concurrent.LinkedBlockingQueue<byte[]>();
      int senders = DeliverySettings.defaults().concurrency() * targets;
      List<Thread> threads = new ArrayList<>();
      for (int k = 0; k < senders; k++) {
        threads.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      try {
                        while (true) {
                          client.send(
                              HttpRequest.newBuilder(uri)
                                  .POST(HttpRequest.BodyPublishers.ofByteArray(queue.take()))
                                  .build(),
                              HttpResponse.BodyHandlers.discarding());
                        }
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      } catch (IOException e) {
                        throw new IllegalStateException(e);
                      }
                    }));
      }
      java.util.function.IntConsumer direct =
          i -> {
            Notification n = notification("Direct" + i, i);
            byte[] body =
                Formatters.standard()
                    .get(io.alerthistory.target.PayloadFormat.WEBHOOK)
                    .render(n, n.alerts());
            for (int t = 0; t < targets; t++) {
              queue.add(body);
            }
          };
      int warmup = Math.min(seconds, 5);
      paced(rate, warmup, direct);
      awaitCount(sink, (long) rate * warmup * targets);
      sink.latencies.set(0);
      sink.received.set(0);
      int baselineSeconds = Math.min(seconds, 10);
      paced(rate, baselineSeconds, direct);
      awaitCount(sink, (long) rate * baselineSeconds * targets);
      threads.forEach(Thread::interrupt);
      long[] baseline = sink.samples();
      report("sink alone (client -> sink)", baseline);

      sink.latencies.set(0);
      sink.received.set(0);
      DeliveryEngine engine = engine(targets(targets, sink.port(), false), benchSettings());
      paced(rate, Math.min(seconds, 5), i -> engine.dispatch(notification("Warm" + i, i)));
      awaitCount(sink, (long) rate * Math.min(seconds, 5) * targets);
      sink.latencies.set(0);
      sink.received.set(0);

      AtomicInteger refused = new AtomicInteger();
      paced(
          rate,
          seconds,
          i -> {
            if (!(engine.dispatch(notification("Steady" + i, i)) instanceof Dispatcher.Queued)) {
              refused.incrementAndGet();
            }
          });
      awaitCount(sink, (long) (total - refused.get()) * targets);
      System.out.printf(
          "steady: %d alerts/s for %d s to %d target(s), %d refused%n",
          rate, seconds, targets, refused.get());
      report("engine (notification made -> sink)", sink.samples());
      engine.shutdown(Duration.ofSeconds(5));
    }
  }

  /** Calls {@code work} {@code rate} times a second for {@code seconds}, on schedule. */
  private static void paced(int rate, int seconds, java.util.function.IntConsumer work) {
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime();
    for (int i = 0; i < rate * seconds; i++) {
      long due = start + i * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      work.accept(i);
    }
  }

  private static void report(String what, long[] samples) {
    Arrays.sort(samples);
    System.out.printf(
        "%s: n=%d p50=%.2f ms p90=%.2f ms p99=%.2f ms max=%.2f ms%n",
        what,
        samples.length,
        pct(samples, 0.50),
        pct(samples, 0.90),
        pct(samples, 0.99),
        samples[samples.length - 1] / 1e6);
  }

  private static double pct(long[] sorted, double p) {
    return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }

  static void memory(int deliveries, int targets, boolean shared) throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort(); // nothing listens once closed: connection refused
    }
    var mem = ManagementFactory.getMemoryMXBean();
    DeliverySettings settings = benchSettings();
    DeliveryEngine engine = engine(targets(targets, closedPort, !shared), settings);
    int notifications = shared ? deliveries / targets : deliveries;
    long before = usedAfterGc(mem);
    List<Notification> notes = new ArrayList<>(notifications);
    for (int i = 0; i < notifications; i++) {
      notes.add(notification("T" + (i % targets) + "_" + i, i));
    }
    long notesOnly = usedAfterGc(mem) - before;
    int refused = 0;
    for (Notification n : notes) {
      if (!(engine.dispatch(n) instanceof Dispatcher.Queued)) {
        refused++;
      }
    }
    notes.clear(); // from here on only the engine holds them
    long after = usedAfterGc(mem);
    var jobs = engine.jobs(null, null, 1);
    long held = Math.max(1, jobs.total());
    System.out.printf(
        "memory: %d deliveries held (%d notifications refused), %d %s notifications, %d targets"
            + " down; retained heap %.1f MiB = %d bytes per queued delivery, of which the"
            + " notifications %d and the engine %d (max heap %.0f MiB)%n",
        jobs.total(),
        refused,
        notifications,
        shared ? "shared" : "unshared",
        targets,
        (after - before) / 1048576.0,
        (after - before) / held,
        notesOnly / held,
        (after - before - notesOnly) / held,
        Runtime.getRuntime().maxMemory() / 1048576.0);
    System.out.println(
        "dead letters: "
            + engine
                .deadLetters(new DeadLetterStore.Query(DeadLetterStore.Filter.ALL, null, 0, 1))
                .letters()
                .size());
    engine.shutdown(Duration.ZERO);
  }

  private static long usedAfterGc(java.lang.management.MemoryMXBean mem) {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return mem.getHeapMemoryUsage().getUsed();
  }
}
