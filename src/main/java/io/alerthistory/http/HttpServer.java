package io.alerthistory.http;

import io.alerthistory.delivery.DeliveryEngine;
import io.alerthistory.health.HealthMonitor;
import io.alerthistory.ingest.IngestService;
import io.alerthistory.refresh.RefreshManager;
import io.alerthistory.stats.PublishingStats;
import io.alerthistory.store.StoreUnavailableException;
import io.alerthistory.target.TargetRegistry;
import io.helidon.common.socket.SocketOptions;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP API: explicit routes per area, a request id on every request, JSON errors. */
public final class HttpServer {
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  /** List answers of the stats API are rendered at most this often. */
  private static final Duration STATS_CACHE = Duration.ofSeconds(1);

  private final WebServer server;

  public HttpServer(
      String host,
      int port,
      IngestService ingest,
      TargetRegistry registry,
      RefreshManager refresh,
      PrometheusRegistry metrics,
      DeliveryEngine delivery,
      HealthMonitor health,
      PublishingStats stats,
      Supplier<Optional<String>> storeUnavailable,
      String adminToken) {
    AdminAuth admin = new AdminAuth(adminToken);
    HttpRouting.Builder routing =
        HttpRouting.builder()
            .addFilter(new RequestIds())
            .register(
                new ProbeRoutes(
                    () ->
                        registry.isLoaded()
                            ? storeUnavailable.get()
                            : Optional.of("targets have not been loaded yet")))
            .register(new MetricsRoutes(metrics))
            .register(new WebhookRoutes(ingest))
            .register(new TargetRoutes(registry))
            // before any /targets/{name} route, so "health" is never read as a target name
            .register(new HealthRoutes(health, admin))
            .register(new StatsRoutes(stats, STATS_CACHE))
            .register(new RefreshRoutes(refresh, admin))
            .register(new DeadLetterRoutes(delivery, admin))
            .register(new DeliveryRoutes(delivery))
            .error(
                StoreUnavailableException.class,
                (req, res, e) -> {
                  log.atWarn().addKeyValue("error", e.getMessage()).log("store unavailable");
                  res.header(HeaderNames.RETRY_AFTER, "5");
                  JsonResponses.error(
                      res, 503, "store_unavailable", "the store cannot be reached; retry later");
                })
            .error(
                Throwable.class,
                (req, res, t) -> {
                  log.atError().setCause(t).log("request failed");
                  JsonResponses.error(
                      res, 500, "internal_error", "the request failed; see the service log");
                })
            .any(
                (req, res) ->
                    JsonResponses.error(
                        res,
                        404,
                        "not_found",
                        "no such endpoint: "
                            + req.prologue().method().text()
                            + " "
                            + req.path().path()));
    server =
        WebServer.builder()
            .host(host)
            .port(port)
            .shutdownHook(false)
            // large answers (stats) would otherwise wait ~40 ms for the client's delayed ACK
            .connectionOptions(SocketOptions.builder().tcpNoDelay(true).build())
            .routing(routing)
            .build();
  }

  public HttpServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.port();
  }

  /** Stops taking new connections; requests already being handled are finished. */
  public void stop() {
    server.stop();
  }
}
