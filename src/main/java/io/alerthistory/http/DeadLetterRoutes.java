package io.alerthistory.http;

import io.alerthistory.delivery.DeadLetter;
import io.alerthistory.delivery.DeadLetterReason;
import io.alerthistory.delivery.DeadLetterStore;
import io.alerthistory.delivery.DeliveryEngine;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dead-letter queue: {@code GET /api/v2/publishing/dlq} (list), {@code GET .../dlq/{id}}, and
 * the admin actions replay one, replay by filter, purge.
 */
final class DeadLetterRoutes implements HttpService {
  private static final String BASE = "/api/v2/publishing/dlq";
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1000;
  private static final List<String> REASONS =
      Arrays.stream(DeadLetterReason.values()).map(DeadLetterReason::wireName).toList();

  private final DeliveryEngine engine;
  private final AdminAuth admin;

  DeadLetterRoutes(DeliveryEngine engine, AdminAuth admin) {
    this.engine = engine;
    this.admin = admin;
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .get(
            BASE,
            (req, res) -> {
              QueryParams q = new QueryParams(req.query());
              DeadLetterStore.Filter filter = filter(q);
              int limit = q.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
              String cursor = q.text("cursor");
              int offset = q.integer("offset", 0, 0, Integer.MAX_VALUE);
              if (cursor != null && offset > 0) {
                q.problem("offset", "cannot be combined with cursor");
              }
              if (!q.valid(res)) {
                return;
              }
              DeadLetterStore.Page page;
              try {
                page = engine.deadLetters(new DeadLetterStore.Query(filter, cursor, offset, limit));
              } catch (IllegalArgumentException e) {
                q.problem("cursor", e.getMessage());
                q.valid(res);
                return;
              }
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("dead_letters", page.letters().stream().map(DeadLetter::view).toList());
              body.put("next_cursor", page.nextCursor());
              JsonResponses.send(res, 200, body);
            })
        .post(
            BASE + "/replay",
            admin.protect(
                (req, res) -> {
                  QueryParams q = new QueryParams(req.query());
                  DeadLetterStore.Filter filter = filter(q);
                  int limit = q.integer("limit", MAX_LIMIT, 1, MAX_LIMIT);
                  if (q.valid(res)) {
                    JsonResponses.send(res, 200, engine.replayMatching(filter, limit));
                  }
                }))
        .delete(
            BASE,
            admin.protect(
                (req, res) -> {
                  QueryParams q = new QueryParams(req.query());
                  Duration olderThan = q.duration("older_than", true);
                  if (q.valid(res)) {
                    JsonResponses.send(
                        res, 200, Map.of("purged", engine.purgeOlderThan(olderThan)));
                  }
                }))
        .get(
            BASE + "/{id}",
            (req, res) -> {
              String id = req.path().pathParameters().get("id");
              engine
                  .deadLetter(id)
                  .ifPresentOrElse(
                      d -> JsonResponses.send(res, 200, d.view()), () -> notFound(res, id));
            })
        .post(
            BASE + "/{id}/replay",
            admin.protect(
                (req, res) -> {
                  String id = req.path().pathParameters().get("id");
                  DeliveryEngine.ReplayResult r = engine.replay(List.of(id));
                  if (!r.notFound().isEmpty()) {
                    notFound(res, id);
                  } else if (!r.failed().isEmpty()) {
                    JsonResponses.error(res, 409, "not_replayed", r.failed().getFirst().reason());
                  } else {
                    JsonResponses.send(res, 200, r);
                  }
                }));
  }

  private static DeadLetterStore.Filter filter(QueryParams q) {
    return new DeadLetterStore.Filter(
        q.text("target"),
        q.oneOf("reason", DeadLetterReason::fromWire, REASONS),
        q.timestamp("since"));
  }

  private static void notFound(io.helidon.webserver.http.ServerResponse res, String id) {
    JsonResponses.error(res, 404, "not_found", "no dead letter \"" + id + "\"");
  }
}
