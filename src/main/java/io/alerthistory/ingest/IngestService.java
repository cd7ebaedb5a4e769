package io.alerthistory.ingest;

import io.alerthistory.alert.NotificationParser;
import io.alerthistory.delivery.Dispatcher;
import io.alerthistory.json.FieldProblem;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts Alertmanager webhook bodies: checks type and size, parses and validates, and hands the
 * notification to the dispatcher. Answers only once every delivery is queued.
 */
public final class IngestService {
  private static final Logger log = LoggerFactory.getLogger(IngestService.class);

  /** What became of one webhook request. */
  public sealed interface Outcome
      permits Accepted, Rejected, TooLarge, UnsupportedMediaType, Unavailable {}

  public record Accepted(int alerts, int deliveries) implements Outcome {}

  public record Rejected(List<FieldProblem> problems) implements Outcome {}

  public record TooLarge(long limitBytes) implements Outcome {}

  public record UnsupportedMediaType(String contentType) implements Outcome {}

  public record Unavailable(Duration retryAfter, String reason) implements Outcome {}

  private final NotificationParser parser = new NotificationParser();
  private final Dispatcher dispatcher;
  private final IngestMetrics metrics;
  private final long maxBodyBytes;

  public IngestService(Dispatcher dispatcher, PrometheusRegistry registry, long maxBodyBytes) {
    this.dispatcher = dispatcher;
    this.metrics = new IngestMetrics(registry);
    this.maxBodyBytes = maxBodyBytes;
  }

  public long maxBodyBytes() {
    return maxBodyBytes;
  }

  /**
   * Ingests one request body.
   *
   * @param contentType the request's Content-Type, or null when it sent none
   * @param declaredLength the request's Content-Length, or -1 when unknown
   */
  public Outcome ingest(String contentType, long declaredLength, InputStream body)
      throws IOException {
    if (contentType != null && !isJson(contentType)) {
      metrics.rejected("unsupported_media_type");
      return new UnsupportedMediaType(contentType);
    }
    if (declaredLength > maxBodyBytes) {
      metrics.rejected("too_large");
      return new TooLarge(maxBodyBytes);
    }
    byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
    if (bytes.length > maxBodyBytes) {
      metrics.rejected("too_large");
      return new TooLarge(maxBodyBytes);
    }
    return ingest(bytes);
  }

  private Outcome ingest(byte[] bytes) {
    return switch (parser.parse(bytes)) {
      case NotificationParser.Rejected r -> {
        boolean malformed = r.problems().getFirst().problem().startsWith("malformed JSON");
        metrics.rejected(malformed ? "malformed_json" : "invalid_payload");
        log.atInfo().addKeyValue("problems", r.problems()).log("webhook payload rejected");
        yield new Rejected(r.problems());
      }
      case NotificationParser.Parsed p ->
          switch (dispatcher.dispatch(p.notification())) {
            case Dispatcher.Queued q -> {
              int alerts = p.notification().alerts().size();
              metrics.accepted(alerts);
              log.atDebug()
                  .addKeyValue("group_key", p.notification().groupKey())
                  .addKeyValue("alerts", alerts)
                  .addKeyValue("deliveries", q.deliveries())
                  .log("notification accepted");
              yield new Accepted(alerts, q.deliveries());
            }
            case Dispatcher.Overloaded o -> {
              log.atWarn()
                  .addKeyValue("reason", o.reason())
                  .log("notification refused, try again later");
              yield new Unavailable(o.retryAfter(), o.reason());
            }
          };
    };
  }

  static boolean isJson(String contentType) {
    String mime = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return mime.equals("application/json") || mime.endsWith("+json");
  }
}
