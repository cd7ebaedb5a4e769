package io.alerthistory.target;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.alerthistory.config.Durations;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The redacted, API-facing form of a target: no header value, routing key or URL secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TargetView(
    String name,
    String namespace,
    String source,
    String type,
    String url,
    String format,
    boolean enabled,
    Map<String, String> headers,
    @JsonProperty("routing_key") String routingKey,
    List<String> filter,
    @JsonProperty("rate_limit") String rateLimit,
    String timeout,
    String fallback) {

  static TargetView of(Target t) {
    Map<String, String> headers = new TreeMap<>();
    t.headers().keySet().forEach(k -> headers.put(k, Redaction.MASK));
    return new TargetView(
        t.name(),
        t.namespace().isEmpty() ? null : t.namespace(),
        t.origin(),
        t.type().wireName(),
        t.redactedUrl(),
        t.format().wireName(),
        t.enabled(),
        headers,
        t.routingKey() == null ? null : Redaction.MASK,
        t.filter().stream().map(LabelMatcher::toString).toList(),
        t.rateLimit() == null ? null : t.rateLimit().toString(),
        Durations.format(t.timeout()),
        t.fallback());
  }
}
