package io.alerthistory.target;

import io.alerthistory.config.Durations;
import io.alerthistory.json.FieldProblem;
import io.alerthistory.json.FieldReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates one target document (see docs/targets.md) into a {@link Target}, or an {@link
 * InvalidTarget} listing every reason. Reasons never quote secret values.
 */
public final class TargetParser {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Set<String> FIELDS =
      Set.of(
          "name",
          "type",
          "url",
          "format",
          "enabled",
          "headers",
          "routing_key",
          "filter",
          "rate_limit",
          "timeout",
          "fallback");

  private final Set<PayloadFormat> availableFormats;

  /**
   * @param availableFormats formats this build can send; a target asking for another is invalid
   */
  public TargetParser(Set<PayloadFormat> availableFormats) {
    this.availableFormats = Set.copyOf(availableFormats);
  }

  /** The parse of one entry: a target, or an invalid entry with its reasons. */
  public sealed interface Result permits Valid, Invalid {}

  public record Valid(Target target) implements Result {}

  public record Invalid(InvalidTarget invalid) implements Result {}

  public Result parse(SourceEntry entry) {
    return switch (entry) {
      case SourceEntry.Unreadable u ->
          new Invalid(new InvalidTarget(u.name(), u.origin(), List.of(u.reason())));
      case SourceEntry.Declared d -> parseDeclared(d);
    };
  }

  private Result parseDeclared(SourceEntry.Declared d) {
    if (d.document() == null || !d.document().isObject()) {
      return invalid(
          d.defaultName(), d.origin(), List.of("the target document must be a JSON object"));
    }
    FieldReader r = FieldReader.of(d.document());
    r.rejectUnknown(FIELDS);

    String name = r.string("name", false);
    if (name == null) {
      name = d.defaultName();
    }
    if (name == null || name.length() > 63 || !DNS_LABEL.matcher(name).matches()) {
      r.problem(
          "name",
          "\""
              + name
              + "\" is not a DNS-1123 label (lower-case letters, digits and '-', at most 63)");
    }

    TargetType type = null;
    String typeText = r.string("type", true);
    if (typeText != null) {
      type = TargetType.fromWire(typeText);
      if (type == null) {
        r.problem("type", "must be one of webhook, slack, pagerduty, rootly, log");
      }
    }

    URI url = url(r, type);
    PayloadFormat format = format(r, type);
    Boolean enabled = r.bool("enabled");
    Map<String, String> headers = r.stringMap("headers");
    String routingKey = r.string("routing_key", false);
    if (type == TargetType.PAGERDUTY && (routingKey == null || routingKey.isBlank())) {
      r.problem("routing_key", "is required for pagerduty targets");
    }
    List<LabelMatcher> filter = filter(r);
    RateLimit rateLimit = rateLimit(r, type);
    Duration timeout = timeout(r);
    String fallback = r.string("fallback", false);
    if (fallback != null && fallback.equals(name)) {
      r.problem("fallback", "must name another target");
    }

    if (r.hasProblems()) {
      return invalid(name, d.origin(), reasons(r.problems()));
    }
    return new Valid(
        new Target(
            name,
            d.namespace(),
            d.origin(),
            type,
            url,
            format,
            enabled == null || enabled,
            headers,
            routingKey,
            filter,
            rateLimit,
            timeout,
            fallback));
  }

  private static URI url(FieldReader r, TargetType type) {
    boolean required = type == null || type.needsUrl();
    String text = r.string("url", required);
    if (text == null) {
      return null;
    }
    try {
      URI u = new URI(text);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null) {
        return u;
      }
    } catch (URISyntaxException e) {
      // reported below without echoing the URL, which may carry credentials
    }
    r.problem("url", "must be an http or https URL with a host");
    return null;
  }

  private PayloadFormat format(FieldReader r, TargetType type) {
    String text = r.string("format", false);
    PayloadFormat format;
    if (text == null) {
      format = type == null ? null : type.defaultFormat();
    } else {
      format = PayloadFormat.fromWire(text);
      if (format == null) {
        r.problem("format", "must be one of alertmanager, webhook, slack, pagerduty, rootly, log");
        return null;
      }
      if (type != null && !type.allowedFormats().contains(format)) {
        r.problem("format", text + " is not allowed for " + type.wireName() + " targets");
        return null;
      }
    }
    if (format != null && !availableFormats.contains(format)) {
      r.problem("format", format.wireName() + " is not supported by this version");
    }
    return format;
  }

  private static List<LabelMatcher> filter(FieldReader r) {
    List<LabelMatcher> out = new ArrayList<>();
    List<String> texts = r.stringList("filter");
    for (int i = 0; i < texts.size(); i++) {
      try {
        out.add(LabelMatcher.parse(texts.get(i)));
      } catch (IllegalArgumentException e) {
        r.problem("filter[" + i + "]", e.getMessage());
      }
    }
    return out;
  }

  private static RateLimit rateLimit(FieldReader r, TargetType type) {
    String text = r.string("rate_limit", false);
    if (text == null) {
      return type == null ? null : type.defaultRateLimit();
    }
    try {
      return RateLimit.parse(text);
    } catch (IllegalArgumentException e) {
      r.problem("rate_limit", e.getMessage());
      return null;
    }
  }

  private static Duration timeout(FieldReader r) {
    String text = r.string("timeout", false);
    if (text == null) {
      return DEFAULT_TIMEOUT;
    }
    try {
      Duration d = Durations.parse(text);
      if (!d.isZero() && d.compareTo(MAX_TIMEOUT) <= 0) {
        return d;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    r.problem("timeout", "\"" + text + "\" is not a duration between 1ms and 5m (e.g. 10s)");
    return DEFAULT_TIMEOUT;
  }

  private static List<String> reasons(List<FieldProblem> problems) {
    return problems.stream().map(p -> p.field() + ": " + p.problem()).toList();
  }

  private static Invalid invalid(String name, String origin, List<String> reasons) {
    return new Invalid(new InvalidTarget(name, origin, reasons));
  }
}
