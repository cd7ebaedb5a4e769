package io.alerthistory;

import io.alerthistory.config.Config;
import io.alerthistory.config.ConfigException;
import io.alerthistory.delivery.DeliveryEngine;
import io.alerthistory.delivery.ExecutorScheduler;
import io.alerthistory.delivery.HttpSender;
import io.alerthistory.delivery.InMemoryDeadLetterStore;
import io.alerthistory.delivery.LogSender;
import io.alerthistory.format.Formatters;
import io.alerthistory.http.HttpServer;
import io.alerthistory.ingest.IngestService;
import io.alerthistory.target.TargetParser;
import io.alerthistory.target.TargetRegistry;
import io.alerthistory.target.TargetSnapshot;
import io.alerthistory.target.source.DirectoryTargetSource;
import io.alerthistory.target.source.TargetSource;
import io.alerthistory.target.source.TargetSourceException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import sun.misc.Signal;

/** Wires the service together and runs its lifecycle; it holds no logic of its own. */
public final class App {
  private final Config config;
  private final Logger log = LoggerFactory.getLogger(App.class);
  private final DeliveryEngine dispatcher;
  private final HttpServer http;

  private App(Config config, Clock clock) throws TargetSourceException {
    this.config = config;
    PrometheusRegistry metrics = new PrometheusRegistry();
    Formatters formatters = Formatters.standard();
    TargetRegistry registry = new TargetRegistry();
    dispatcher =
        new DeliveryEngine(
            registry,
            formatters,
            new HttpSender(clock),
            new LogSender(),
            metrics,
            clock,
            new ExecutorScheduler("delivery-timer"),
            RandomGenerator.getDefault(),
            config.delivery(),
            new InMemoryDeadLetterStore(config.delivery().deadLetterCapacity()));
    IngestService ingest = new IngestService(dispatcher, metrics, config.maxBodyBytes());
    http =
        new HttpServer(
                config.httpHost(),
                config.httpPort(),
                ingest,
                registry,
                metrics,
                dispatcher,
                config.adminToken())
            .start();

    TargetSource source = new DirectoryTargetSource(config.targetsDir());
    TargetParser parser = new TargetParser(formatters.available());
    registry.replace(TargetSnapshot.build(source.list(), parser, clock.instant()));
    log.atInfo()
        .addKeyValue("port", http.port())
        .addKeyValue("targets_dir", config.targetsDir().toString())
        .log("alert-history ready");
  }

  /** Starts the service with the given configuration; it is ready when this returns. */
  public static App start(Config config, Clock clock) throws TargetSourceException {
    return new App(config, clock);
  }

  public int port() {
    return http.port();
  }

  /** Refuses new requests, then lets deliveries in flight finish within SHUTDOWN_TIMEOUT. */
  public void stop() {
    log.info("shutting down");
    http.stop();
    dispatcher.shutdown(config.shutdownTimeout());
    log.info("stopped");
  }

  public static void main(String[] args) throws Exception {
    Config config;
    try {
      config = Config.from(System.getenv());
    } catch (ConfigException e) {
      System.err.println("alert-history: " + e.getMessage());
      System.exit(2);
      return;
    }
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    CountDownLatch signalled = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> signalled.countDown());
    Signal.handle(new Signal("INT"), s -> signalled.countDown());
    App app;
    try {
      app = start(config, Clock.systemUTC());
    } catch (TargetSourceException e) {
      LoggerFactory.getLogger(App.class).error("cannot load targets: {}", e.getMessage());
      System.exit(1);
      return;
    }
    signalled.await();
    app.stop();
    System.exit(0);
  }
}
