package io.alerthistory.http;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Liveness ({@code /healthz}) and readiness ({@code /readyz}) probes. */
final class ProbeRoutes implements HttpService {
  private final BooleanSupplier ready;

  ProbeRoutes(BooleanSupplier ready) {
    this.ready = ready;
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .get("/healthz", (req, res) -> JsonResponses.send(res, 200, Map.of("status", "ok")))
        .get(
            "/readyz",
            (req, res) -> {
              if (ready.getAsBoolean()) {
                JsonResponses.send(res, 200, Map.of("status", "ready"));
              } else {
                JsonResponses.error(res, 503, "not_ready", "targets have not been loaded yet");
              }
            });
  }
}
