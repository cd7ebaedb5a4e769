package io.alerthistory.http;

import io.alerthistory.bench.DeliveryBench;
import io.alerthistory.bench.HandoffJournal;
import io.alerthistory.bench.StoreBench;
import io.alerthistory.delivery.DeliveryEngine;
import io.alerthistory.delivery.DeliverySettings;
import io.alerthistory.delivery.InMemoryDeadLetterStore;
import io.alerthistory.delivery.Journal;
import io.alerthistory.ingest.IngestService;
import io.alerthistory.store.JdbcStore;
import io.alerthistory.testing.TempDirs;
import io.helidon.common.socket.SocketOptions;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.CountDownLatch;

/**
 * The service's webhook route alone, over the delivery engine with one silent target (it takes
 * connections and never answers, so only intake costs CPU), with the store chosen by the second
 * argument: {@code memory} (no journal), {@code handoff} (no database, but each webhook waits for
 * another thread, see {@link HandoffJournal}), {@code sqlite} (a temporary DATA_DIR) or {@code
 * postgresql} (DATABASE_URL). bench/store-ingest.sh runs it in each mode under the same load.
 *
 * <p>Usage: {@code IngestBenchServer PORT memory|handoff|sqlite|postgresql}; binds 127.0.0.1 only.
 */
public final class IngestBenchServer {
  private IngestBenchServer() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: IngestBenchServer PORT memory|handoff|sqlite|postgresql");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    DeliverySettings settings = StoreBench.settings();
    PrometheusRegistry metrics = new PrometheusRegistry();
    var targets = DeliveryBench.targets(1, StoreBench.closedPort(), false);
    DeliveryEngine engine =
        switch (args[1]) {
          case "memory" ->
              DeliveryBench.engine(
                  targets,
                  settings,
                  new InMemoryDeadLetterStore(settings.deadLetterCapacity()),
                  Journal.NONE);
          case "handoff" ->
              DeliveryBench.engine(
                  targets,
                  settings,
                  new InMemoryDeadLetterStore(settings.deadLetterCapacity()),
                  new HandoffJournal());
          case "sqlite", "postgresql" -> {
            if (args[1].equals("postgresql") != (System.getenv("DATABASE_URL") != null)) {
              throw new IllegalArgumentException("DATABASE_URL must be set for postgresql only");
            }
            JdbcStore store =
                StoreBench.open(
                    TempDirs.deletedOnExit("ingest-bench"), metrics, settings.deadLetterCapacity());
            yield DeliveryBench.engine(targets, settings, store.deadLetters(), store.journal());
          }
          default -> throw new IllegalArgumentException("memory, handoff, sqlite or postgresql");
        };
    IngestService ingest = new IngestService(engine, new PrometheusRegistry(), 4 << 20);
    WebServer server =
        WebServer.builder()
            .host("127.0.0.1")
            .port(port)
            .connectionOptions(SocketOptions.builder().tcpNoDelay(true).build())
            .routing(
                HttpRouting.builder()
                    .register(new WebhookRoutes(ingest))
                    // the store's commit histogram: operations per commit, time in commits
                    .register(new MetricsRoutes(metrics)))
            .build()
            .start();
    System.out.println("ingest bench server (" + args[1] + ") on 127.0.0.1:" + server.port());
    new CountDownLatch(1).await();
  }
}
