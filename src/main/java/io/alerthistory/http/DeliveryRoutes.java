package io.alerthistory.http;

import io.alerthistory.delivery.DeliveryEngine;
import io.alerthistory.delivery.JobState;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Read-only views of the delivery engine: {@code GET /api/v2/publishing/jobs} (what the lanes hold)
 * and {@code GET /api/v2/alerts/{fingerprint}/deliveries} (attempts for one alert).
 */
final class DeliveryRoutes implements HttpService {
  private static final List<String> STATES =
      Arrays.stream(JobState.values()).map(JobState::wireName).toList();

  private final DeliveryEngine engine;

  DeliveryRoutes(DeliveryEngine engine) {
    this.engine = engine;
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .get(
            "/api/v2/publishing/jobs",
            (req, res) -> {
              QueryParams q = new QueryParams(req.query());
              String target = q.text("target");
              JobState state = q.oneOf("state", JobState::fromWire, STATES);
              int limit = q.integer("limit", 100, 1, 1000);
              if (q.valid(res)) {
                DeliveryEngine.Jobs jobs = engine.jobs(target, state, limit);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("total", jobs.total());
                body.put("jobs", jobs.jobs());
                JsonResponses.send(res, 200, body);
              }
            })
        .get(
            "/api/v2/alerts/{fingerprint}/deliveries",
            (req, res) -> {
              String fingerprint = req.path().pathParameters().get("fingerprint");
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("fingerprint", fingerprint);
              body.put("attempts", engine.history(fingerprint));
              JsonResponses.send(res, 200, body);
            });
  }
}
