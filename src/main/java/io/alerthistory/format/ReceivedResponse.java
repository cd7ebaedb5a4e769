package io.alerthistory.format;

import io.alerthistory.attempt.AttemptOutcome;
import io.alerthistory.attempt.ResponseClassifier;
import io.alerthistory.target.Redaction;
import io.alerthistory.target.Target;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The answer to an {@link OutgoingRequest}.
 *
 * @param headers first value of each header; names are matched case-insensitively
 * @param body the start of the body (a bounded read is enough; 64 KiB is plenty)
 * @param receivedAt when the answer came, from the engine's clock; an HTTP-date {@code Retry-After}
 *     is measured from here
 */
public record ReceivedResponse(
    int status, Map<String, String> headers, String body, Instant receivedAt) {
  static final int EXCERPT_CHARS = 512;

  public ReceivedResponse {
    headers = Map.copyOf(headers);
    body = body == null ? "" : body;
  }

  public String header(String name) {
    for (Map.Entry<String, String> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** A bounded excerpt of the body with the target's secret values masked. */
  String excerpt(Target target) {
    String b = body.length() > EXCERPT_CHARS ? body.substring(0, EXCERPT_CHARS) : body;
    List<String> secrets = new ArrayList<>(target.secrets());
    // A target may echo just the token of "Bearer <token>".
    for (String s : target.secrets()) {
      int space = s.indexOf(' ');
      if (space > 0 && s.length() - space > 8) {
        secrets.add(s.substring(space + 1));
      }
    }
    return Redaction.scrub(b, secrets);
  }

  /** The generic mapping: 2xx delivered; 408, 429, 5xx retried; other 4xx permanent. */
  AttemptOutcome classify(Target target) {
    return ResponseClassifier.classify(
        status, header("Retry-After"), excerpt(target), Clock.fixed(receivedAt, ZoneOffset.UTC));
  }
}
