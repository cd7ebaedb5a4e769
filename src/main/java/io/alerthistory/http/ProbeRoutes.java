package io.alerthistory.http;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Liveness ({@code /healthz}) and readiness ({@code /readyz}) probes. */
final class ProbeRoutes implements HttpService {
  private final Supplier<Optional<String>> notReady;

  /**
   * @param notReady why the service cannot take work now, or empty when it can
   */
  ProbeRoutes(Supplier<Optional<String>> notReady) {
    this.notReady = notReady;
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .get("/healthz", (req, res) -> JsonResponses.send(res, 200, Map.of("status", "ok")))
        .get(
            "/readyz",
            (req, res) -> {
              Optional<String> reason = notReady.get();
              if (reason.isEmpty()) {
                JsonResponses.send(res, 200, Map.of("status", "ready"));
              } else {
                JsonResponses.error(res, 503, "not_ready", reason.get());
              }
            });
  }
}
