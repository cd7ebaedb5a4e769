package io.alerthistory.format;

import io.alerthistory.alert.Alert;
import io.alerthistory.target.Redaction;
import io.alerthistory.target.Target;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request a format built for a delivery. Headers include the target's own (so they may
 * hold secrets); {@link #toString()} shows neither headers, body nor path.
 *
 * @param alert the alert an incident-shaped request is about, null for group-shaped formats
 */
public record OutgoingRequest(
    String method, URI url, Map<String, String> headers, byte[] body, Alert alert) {

  public OutgoingRequest {
    Objects.requireNonNull(method);
    Objects.requireNonNull(url);
    headers = Map.copyOf(headers);
  }

  /** A request with the given content type and the target's headers, which win on a clash. */
  static OutgoingRequest of(
      String method, URI url, String contentType, Target target, byte[] body, Alert alert) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", contentType);
    for (Map.Entry<String, String> e : target.headers().entrySet()) {
      h.keySet().removeIf(k -> k.equalsIgnoreCase(e.getKey()));
      h.put(e.getKey(), e.getValue());
    }
    return new OutgoingRequest(method, url, h, body, alert);
  }

  @Override
  public String toString() {
    return method + " " + Redaction.url(url, true);
  }
}
