package io.alerthistory;

import io.alerthistory.config.Config;
import io.alerthistory.config.ConfigException;
import io.alerthistory.delivery.DeliveryEngine;
import io.alerthistory.delivery.HttpSender;
import io.alerthistory.delivery.LogSender;
import io.alerthistory.format.Formatters;
import io.alerthistory.health.HealthMonitor;
import io.alerthistory.health.HealthSettings;
import io.alerthistory.health.NetworkProber;
import io.alerthistory.http.HttpServer;
import io.alerthistory.ingest.IngestService;
import io.alerthistory.refresh.RefreshManager;
import io.alerthistory.stats.DeliveryStats;
import io.alerthistory.stats.PublishingStats;
import io.alerthistory.stats.StatsSettings;
import io.alerthistory.stats.StatsSnapshot;
import io.alerthistory.store.JdbcStore;
import io.alerthistory.store.Store;
import io.alerthistory.store.StoreSettings;
import io.alerthistory.target.TargetParser;
import io.alerthistory.target.TargetRegistry;
import io.alerthistory.target.source.DirectoryTargetSource;
import io.alerthistory.target.source.KubernetesTargetSource;
import io.alerthistory.target.source.TargetSource;
import io.alerthistory.time.ExecutorScheduler;
import io.alerthistory.time.Scheduler;
import io.alerthistory.time.VirtualThreadScheduler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import sun.misc.Signal;

/** Wires the service together and runs its lifecycle; it holds no logic of its own. */
public final class App {
  /** Bound of one active health probe (connect plus a HEAD request). */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

  /** Secret events are debounced this long so a burst of changes is applied once. */
  private static final Duration WATCH_DEBOUNCE = Duration.ofMillis(100);

  /** Stats rings are saved this often (and at shutdown); a crash loses at most this much. */
  private static final Duration STATS_SAVE_INTERVAL = Duration.ofMinutes(1);

  private final Config config;
  private final Logger log = LoggerFactory.getLogger(App.class);
  private final DeliveryEngine dispatcher;
  private final RefreshManager refresh;
  private final HealthMonitor health;
  private final HttpServer http;
  private final Store store;
  private final Clock clock;
  private final DeliveryStats buckets;
  private final Scheduler statsSaver = new VirtualThreadScheduler("stats-save");

  private App(Config config, Clock clock) throws InterruptedException {
    this.config = config;
    this.clock = clock;
    PrometheusRegistry metrics = new PrometheusRegistry();
    store = openStore(config, clock, metrics);
    Formatters formatters = Formatters.standard(metrics, store.incidents());
    TargetRegistry registry = new TargetRegistry();
    buckets = new DeliveryStats(clock);
    health =
        new HealthMonitor(
            registry,
            new NetworkProber(PROBE_TIMEOUT),
            HealthSettings.defaults().withInterval(config.healthCheckInterval()),
            clock,
            new VirtualThreadScheduler("health"),
            metrics);
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
            store.deadLetters(),
            store.journal(),
            PublishingStats.observerFor(buckets, health));
    IngestService ingest = new IngestService(dispatcher, metrics, config.maxBodyBytes());
    refresh =
        new RefreshManager(
            targetSource(config),
            new TargetParser(formatters.available()),
            registry,
            config.refresh(),
            clock,
            new VirtualThreadScheduler("refresh"),
            metrics);
    PublishingStats stats =
        new PublishingStats(
            buckets,
            registry,
            health,
            dispatcher,
            refresh::status,
            new StatsSettings(StatsSettings.defaults().latencySlo(), config.refresh().interval()),
            clock);
    http =
        new HttpServer(
                config.httpHost(),
                config.httpPort(),
                ingest,
                registry,
                refresh,
                metrics,
                dispatcher,
                health,
                stats,
                store::unavailable,
                config.adminToken())
            .start();
    // a first start creates the schema meanwhile; nothing is delivered before targets load below
    store.awaitOpen();
    store.stats().ifPresent(this::restoreStats);
    refresh.start();
    health.start();
    scheduleStatsSave();
    boolean loaded = refresh.awaitFirstLoad(config.refresh().timeout());
    // requeued as soon as targets are loaded, now or later
    dispatcher.recover(store.journal().unfinished());
    store.startLeases(new VirtualThreadScheduler("store-leases"), dispatcher::recover);
    if (loaded) {
      log.atInfo()
          .addKeyValue("port", http.port())
          .addKeyValue("source", config.targetSource())
          .log("alert-history ready");
    } else {
      log.atError()
          .addKeyValue("port", http.port())
          .addKeyValue("error", refresh.status().error())
          .log("targets could not be loaded yet; not ready, retrying in the background");
    }
  }

  private void restoreStats(StatsSnapshot saved) {
    try {
      buckets.restore(saved);
    } catch (IllegalArgumentException e) {
      log.atWarn().addKeyValue("error", e.getMessage()).log("saved stats not restored");
    }
  }

  /** Every minute: saves the stats rings and drops attempts past HISTORY_RETENTION. */
  private void scheduleStatsSave() {
    statsSaver.schedule(
        STATS_SAVE_INTERVAL,
        () -> {
          saveStats();
          store.purgeAttemptsBefore(clock.instant().minus(config.delivery().historyRetention()));
          scheduleStatsSave();
        });
  }

  private void saveStats() {
    try {
      store.saveStats(buckets.snapshot()).join();
    } catch (RuntimeException e) {
      log.atWarn().addKeyValue("error", e.getMessage()).log("stats not saved");
    }
  }

  private static Store openStore(Config config, Clock clock, PrometheusRegistry metrics) {
    StoreSettings settings =
        new StoreSettings(
            config.delivery().deadLetterCapacity(), config.storeLease(), config.replica(), clock);
    return config.database() == null
        ? JdbcStore.openSqlite(config.dataDir(), settings, metrics)
        : JdbcStore.openPostgres(config.database(), settings, metrics);
  }

  private static TargetSource targetSource(Config config) {
    return switch (config.targetSource()) {
      case "directory" -> new DirectoryTargetSource(config.targetsDir());
      case "kubernetes" ->
          KubernetesTargetSource.connect(
              KubernetesTargetSource.namespacesOrDefault(config.targetNamespaces()),
              config.targetLabelSelector(),
              WATCH_DEBOUNCE);
      default -> throw new IllegalStateException("unknown target source " + config.targetSource());
    };
  }

  /**
   * Starts the service. It is ready when this returns, unless the first target load failed; then it
   * answers 503 on {@code /readyz} and keeps retrying.
   */
  public static App start(Config config, Clock clock) throws InterruptedException {
    return new App(config, clock);
  }

  public int port() {
    return http.port();
  }

  /** Refuses new requests, then lets deliveries in flight finish within SHUTDOWN_TIMEOUT. */
  public void stop() {
    log.info("shutting down");
    http.stop();
    refresh.stop(Duration.ofSeconds(5));
    health.stop(Duration.ofSeconds(5));
    dispatcher.shutdown(config.shutdownTimeout());
    statsSaver.shutdown(Duration.ofSeconds(1));
    saveStats();
    store.close();
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
    } catch (ConfigException e) {
      System.err.println("alert-history: " + e.getMessage());
      System.exit(2);
      return;
    }
    signalled.await();
    app.stop();
    System.exit(0);
  }
}
