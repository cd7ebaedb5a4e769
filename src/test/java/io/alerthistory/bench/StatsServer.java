package io.alerthistory.bench;

import io.alerthistory.health.HealthMonitor;
import io.alerthistory.health.HealthSettings;
import io.alerthistory.health.ProbeResult;
import io.alerthistory.http.StatsRoutes;
import io.alerthistory.stats.DeliveryStats;
import io.alerthistory.stats.LaneState;
import io.alerthistory.stats.PublishingStats;
import io.alerthistory.stats.StatsSettings;
import io.alerthistory.target.PayloadFormat;
import io.alerthistory.target.Target;
import io.alerthistory.target.TargetRegistry;
import io.alerthistory.target.TargetSnapshot;
import io.alerthistory.target.TargetType;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stats routes over 1,000 targets with 24 full hours of buckets ending now, on the system
 * clock, for {@code wrk}. Prints the port; runs until killed. Args: port (0 = any), targets, cache
 * milliseconds (1000).
 */
public final class StatsServer {
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    long cacheMillis = args.length > 2 ? Long.parseLong(args[2]) : 1000;
    String[] names = StatsFill.names(count);
    Map<String, Target> targets = new LinkedHashMap<>();
    for (String n : names) {
      targets.put(
          n,
          new Target(
              n,
              "",
              "bench/" + n,
              TargetType.WEBHOOK,
              URI.create("https://" + n + ".example.com/hook"),
              PayloadFormat.WEBHOOK,
              true,
              Map.of(),
              null,
              List.of(),
              null,
              Duration.ofSeconds(5),
              null));
    }
    TargetRegistry registry = new TargetRegistry();
    registry.replace(new TargetSnapshot(targets, List.of(), java.time.Instant.now()));
    StatsFill.Movable filling = new StatsFill.Movable();
    DeliveryStats stats = new DeliveryStats(filling);
    StatsFill.fill(stats, filling, names, System.currentTimeMillis());
    // Serve on the system clock; the filled minutes end now.
    DeliveryStats serving = new DeliveryStats(InstantSource.system());
    serving.restore(stats.snapshot());
    HealthMonitor monitor =
        new HealthMonitor(
            registry,
            t -> ProbeResult.ok(Duration.ofMillis(20)),
            HealthSettings.defaults(),
            InstantSource.system(),
            io.alerthistory.stats.Fixtures.IDLE,
            new PrometheusRegistry());
    monitor.runRound();
    PublishingStats publishing =
        new PublishingStats(
            serving,
            registry,
            monitor,
            n -> new LaneState(3, 1000, 1200, LaneState.Circuit.CLOSED),
            () -> null,
            StatsSettings.defaults(),
            InstantSource.system());
    WebServer server =
        WebServer.builder()
            .host("127.0.0.1")
            .port(port)
            .shutdownHook(false)
            .connectionOptions(
                io.helidon.common.socket.SocketOptions.builder()
                    .tcpNoDelay(Boolean.parseBoolean(System.getProperty("nodelay", "false")))
                    .build())
            .routing(
                HttpRouting.builder()
                    .register(new StatsRoutes(publishing, Duration.ofMillis(cacheMillis))))
            .build()
            .start();
    System.out.println("port " + server.port());
    Thread.currentThread().join();
  }
}
