package io.alerthistory.http;

import io.alerthistory.delivery.DeliveryEngine;
import io.alerthistory.ingest.IngestService;
import io.alerthistory.refresh.RefreshManager;
import io.alerthistory.target.TargetRegistry;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP API: explicit routes per area, a request id on every request, JSON errors. */
public final class HttpServer {
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  private final WebServer server;

  public HttpServer(
      String host,
      int port,
      IngestService ingest,
      TargetRegistry registry,
      RefreshManager refresh,
      PrometheusRegistry metrics,
      DeliveryEngine delivery,
      String adminToken) {
    AdminAuth admin = new AdminAuth(adminToken);
    HttpRouting.Builder routing =
        HttpRouting.builder()
            .addFilter(new RequestIds())
            .register(new ProbeRoutes(registry::isLoaded))
            .register(new MetricsRoutes(metrics))
            .register(new WebhookRoutes(ingest))
            .register(new TargetRoutes(registry))
            .register(new RefreshRoutes(refresh, admin))
            .register(new DeadLetterRoutes(delivery, admin))
            .register(new DeliveryRoutes(delivery))
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
    server = WebServer.builder().host(host).port(port).shutdownHook(false).routing(routing).build();
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
