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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/** Publishing stats, overall health and trends (DESIGN §9). */
final class StatsRoutes implements HttpService {
  private static final String TYPES =
      String.join(", ", Arrays.stream(TargetType.values()).map(TargetType::wireName).toList());
  private static final String STATUSES =
      String.join(", ", Arrays.stream(HealthStatus.values()).map(HealthStatus::wireName).toList());

  private final PublishingStats stats;

  StatsRoutes(PublishingStats stats) {
    this.stats = stats;
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .get(
            "/api/v2/publishing/stats",
            (req, res) -> {
              StatsFilter f = filter(req, res);
              if (f != null) {
                sendTagged(req, res, JsonResponses.bytes(stats.stats(f)));
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
              Reports.Health h = stats.health();
              JsonResponses.send(res, h.status() == HealthStatus.UNHEALTHY ? 503 : 200, h);
            })
        .get(
            "/api/v2/publishing/trends",
            (req, res) -> {
              StatsFilter f = filter(req, res);
              if (f != null) {
                sendTagged(req, res, JsonResponses.bytes(stats.trends(f)));
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

  /** 200 with a strong ETag from the body, or 304 when the client holds that body. */
  private static void sendTagged(ServerRequest req, ServerResponse res, byte[] body) {
    CRC32C crc = new CRC32C();
    crc.update(body);
    String etag =
        "\"" + Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(body.length) + "\"";
    res.header(HeaderNames.ETAG, etag);
    String ifNoneMatch = req.headers().first(HeaderNames.IF_NONE_MATCH).orElse(null);
    if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
      res.status(Status.NOT_MODIFIED_304);
      res.send();
      return;
    }
    JsonResponses.sendBytes(res, 200, body);
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
