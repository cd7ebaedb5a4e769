package io.alerthistory.http;

import io.alerthistory.health.HealthStatus;
import io.alerthistory.json.FieldProblem;
import io.alerthistory.stats.PublishingStats;
import io.alerthistory.stats.Reports;
import io.alerthistory.stats.StatsFilter;
import io.alerthistory.target.TargetType;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Publishing stats, overall health and trends (DESIGN §9). Public for the benchmark server. */
public final class StatsRoutes implements HttpService {
  private static final String TYPES =
      String.join(", ", Arrays.stream(TargetType.values()).map(TargetType::wireName).toList());
  private static final String STATUSES =
      String.join(", ", Arrays.stream(HealthStatus.values()).map(HealthStatus::wireName).toList());

  private final PublishingStats stats;
  private final RenderedCache cache;

  /**
   * @param cacheFor how long a rendered list answer (stats, trends, overall health) is served
   *     before it is computed again; zero computes every request
   */
  public StatsRoutes(PublishingStats stats, Duration cacheFor) {
    this.stats = stats;
    this.cache = new RenderedCache(cacheFor);
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .get(
            "/api/v2/publishing/stats",
            (req, res) -> {
              StatsFilter f = filter(req, res);
              if (f != null) {
                send(req, res, cache.get("stats " + f, () -> render(200, stats.stats(f))));
              }
            })
        .get(
            "/api/v2/publishing/stats/{target}",
            (req, res) -> {
              String name = req.path().pathParameters().get("target");
              stats
                  .target(name)
                  .ifPresentOrElse(
                      d -> JsonResponses.send(res, 200, d),
                      () -> JsonResponses.error(res, 404, "not_found", "no target named " + name));
            })
        .get(
            "/api/v2/publishing/health",
            (req, res) -> {
              send(
                  req,
                  res,
                  cache.get(
                      "health",
                      () -> {
                        Reports.Health h = stats.health();
                        return render(h.status() == HealthStatus.UNHEALTHY ? 503 : 200, h);
                      }));
            })
        .get(
            "/api/v2/publishing/trends",
            (req, res) -> {
              StatsFilter f = filter(req, res);
              if (f != null) {
                send(req, res, cache.get("trends " + f, () -> render(200, stats.trends(f))));
              }
            });
  }

  /** The filter of {@code ?type=&status=}, or null after answering 400. */
  static StatsFilter filter(ServerRequest req, ServerResponse res) {
    List<FieldProblem> problems = new ArrayList<>();
    String typeText = req.query().first("type").orElse("");
    String statusText = req.query().first("status").orElse("");
    TargetType type = typeText.isEmpty() ? null : TargetType.fromWire(typeText);
    HealthStatus status = statusText.isEmpty() ? null : HealthStatus.fromWire(statusText);
    if (!typeText.isEmpty() && type == null) {
      problems.add(new FieldProblem("type", "must be one of " + TYPES));
    }
    if (!statusText.isEmpty() && status == null) {
      problems.add(new FieldProblem("status", "must be one of " + STATUSES));
    }
    if (!problems.isEmpty()) {
      JsonResponses.badRequest(res, problems);
      return null;
    }
    return new StatsFilter(type, status);
  }

  private static RenderedCache.Rendered render(int status, Object body) {
    return RenderedCache.tagged(status, JsonResponses.bytes(body));
  }

  /** The answer with its ETag, or 304 when the client holds that body. */
  private static void send(ServerRequest req, ServerResponse res, RenderedCache.Rendered r) {
    res.header(HeaderNames.ETAG, r.etag());
    String ifNoneMatch = req.headers().first(HeaderNames.IF_NONE_MATCH).orElse(null);
    if (ifNoneMatch != null && matches(ifNoneMatch, r.etag())) {
      res.status(Status.NOT_MODIFIED_304);
      res.send();
      return;
    }
    JsonResponses.sendBytes(res, r.status(), r.body());
  }

  private static boolean matches(String ifNoneMatch, String etag) {
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.trim();
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.equals("*") || t.equals(etag)) {
        return true;
      }
    }
    return false;
  }
}
