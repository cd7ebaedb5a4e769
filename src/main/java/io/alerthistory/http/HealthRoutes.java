package io.alerthistory.http;

import io.alerthistory.health.HealthMonitor;
import io.alerthistory.health.TargetHealth;
import io.alerthistory.stats.StatsFilter;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.List;
import java.util.Map;

/** Target health (DESIGN §8): the list, one target, and an on-demand probe (admin). */
final class HealthRoutes implements HttpService {
  private final HealthMonitor monitor;
  private final AdminAuth auth;

  HealthRoutes(HealthMonitor monitor, AdminAuth auth) {
    this.monitor = monitor;
    this.auth = auth;
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .get(
            "/api/v2/publishing/targets/health",
            (req, res) -> {
              StatsFilter f = StatsRoutes.filter(req, res);
              if (f == null) {
                return;
              }
              List<TargetHealth> all =
                  monitor.all().stream()
                      .filter(h -> f.type() == null || h.type().equals(f.type().wireName()))
                      .filter(h -> f.status() == null || h.status() == f.status())
                      .toList();
              JsonResponses.send(res, 200, Map.of("targets", all));
            })
        .get(
            "/api/v2/publishing/targets/health/{name}",
            (req, res) -> {
              String name = req.path().pathParameters().get("name");
              monitor
                  .get(name)
                  .ifPresentOrElse(h -> JsonResponses.send(res, 200, h), () -> notFound(res, name));
            })
        .post(
            "/api/v2/publishing/targets/health/{name}/check",
            auth.protect(
                (req, res) -> {
                  String name = req.path().pathParameters().get("name");
                  monitor
                      .checkNow(name)
                      .ifPresentOrElse(
                          h -> JsonResponses.send(res, 200, h), () -> notFound(res, name));
                }));
  }

  private static void notFound(io.helidon.webserver.http.ServerResponse res, String name) {
    JsonResponses.error(res, 404, "not_found", "no enabled target named " + name);
  }
}
