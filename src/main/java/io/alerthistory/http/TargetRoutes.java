package io.alerthistory.http;

import io.alerthistory.json.FieldProblem;
import io.alerthistory.target.Target;
import io.alerthistory.target.TargetRegistry;
import io.alerthistory.target.TargetSnapshot;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v2/publishing/targets}: the targets, redacted, and on request the invalid ones.
 */
final class TargetRoutes implements HttpService {
  private final TargetRegistry registry;

  TargetRoutes(TargetRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get(
        "/api/v2/publishing/targets",
        (req, res) -> {
          String include = req.query().first("include").orElse("");
          if (!include.isEmpty() && !include.equals("invalid")) {
            JsonResponses.badRequest(
                res, List.of(new FieldProblem("include", "must be \"invalid\" or absent")));
            return;
          }
          TargetSnapshot snapshot = registry.current();
          if (snapshot == null) {
            JsonResponses.error(res, 503, "not_ready", "targets have not been loaded yet");
            return;
          }
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("loaded_at", snapshot.loadedAt().toString());
          body.put("targets", snapshot.targets().values().stream().map(Target::view).toList());
          if (include.equals("invalid")) {
            body.put("invalid", snapshot.invalid());
          }
          JsonResponses.send(res, 200, body);
        });
  }
}
