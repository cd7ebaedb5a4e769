package io.alerthistory.http;

import io.alerthistory.ingest.IngestService;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/** {@code POST /webhook} and {@code /api/v2/webhook}: Alertmanager's webhook receiver. */
final class WebhookRoutes implements HttpService {
  private final IngestService ingest;

  /** The 200 answer: alerts taken and deliveries queued. */
  record Accepted(int accepted, int deliveries) {}

  WebhookRoutes(IngestService ingest) {
    this.ingest = ingest;
  }

  @Override
  public void routing(HttpRules rules) {
    Handler handler =
        (req, res) -> {
          var outcome =
              ingest.ingest(
                  req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null),
                  req.headers().contentLength().orElse(-1),
                  req.content().inputStream());
          switch (outcome) {
            case IngestService.Accepted a ->
                JsonResponses.send(res, 200, new Accepted(a.alerts(), a.deliveries()));
            case IngestService.Rejected r -> JsonResponses.badRequest(res, r.problems());
            case IngestService.TooLarge t ->
                JsonResponses.error(
                    res,
                    413,
                    "payload_too_large",
                    "body is larger than MAX_BODY_BYTES (" + t.limitBytes() + " bytes)");
            case IngestService.UnsupportedMediaType u ->
                JsonResponses.error(
                    res,
                    415,
                    "unsupported_media_type",
                    "Content-Type must be application/json, got \"" + u.contentType() + "\"");
            case IngestService.Unavailable u -> {
              res.header(
                  HeaderNames.RETRY_AFTER, String.valueOf(Math.max(1, u.retryAfter().toSeconds())));
              JsonResponses.error(res, 503, "unavailable", u.reason());
            }
          }
        };
    rules.post("/webhook", handler).post("/api/v2/webhook", handler);
  }
}
