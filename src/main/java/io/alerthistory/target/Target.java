package io.alerthistory.target;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A valid publishing target. Its {@link #toString()} is redacted so a target can be logged safely;
 * {@link #view()} is the redacted form for APIs.
 *
 * @param origin where it was declared: a file path or {@code namespace/secret}
 * @param url where to send; null only for {@link TargetType#LOG}
 * @param rateLimit outbound pace, null for unlimited
 * @param fallback name of the target a dead letter goes to once, or null
 */
public record Target(
    String name,
    String namespace,
    String origin,
    TargetType type,
    URI url,
    PayloadFormat format,
    boolean enabled,
    Map<String, String> headers,
    String routingKey,
    List<LabelMatcher> filter,
    RateLimit rateLimit,
    Duration timeout,
    String fallback) {

  public Target {
    headers = Map.copyOf(headers);
    filter = List.copyOf(filter);
  }

  /** Whether the alert's labels pass every matcher of the filter. */
  public boolean accepts(Map<String, String> labels) {
    for (LabelMatcher m : filter) {
      if (!m.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /** Every secret value of this target, to scrub from text that leaves the outgoing request. */
  public List<String> secrets() {
    List<String> out = new java.util.ArrayList<>(headers.values());
    if (routingKey != null) {
      out.add(routingKey);
    }
    if (url != null && url.getRawUserInfo() != null) {
      out.add(url.getRawUserInfo());
      out.add(url.getUserInfo());
    }
    if (url != null
        && pathIsSecret()
        && url.getRawPath() != null
        && url.getRawPath().length() > 1) {
      out.add(url.getRawPath());
    }
    if (url != null && url.getRawQuery() != null) {
      out.add(url.getRawQuery());
      out.add(url.getQuery());
    }
    return out.stream().filter(v -> v != null && !v.isEmpty()).toList();
  }

  /** A Slack incoming webhook URL carries its token in the path. */
  private boolean pathIsSecret() {
    return type == TargetType.SLACK;
  }

  /** The URL as it may be shown: no credentials, query or (for Slack) path. */
  public String redactedUrl() {
    return Redaction.url(url, pathIsSecret());
  }

  public TargetView view() {
    return TargetView.of(this);
  }

  @Override
  public String toString() {
    return "Target[" + name + ", " + type.wireName() + ", " + redactedUrl() + "]";
  }
}
