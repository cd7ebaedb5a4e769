package io.alerthistory.format;

import io.alerthistory.target.PayloadFormat;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The formatters this build has, by format. */
public final class Formatters {
  private final Map<PayloadFormat, PayloadFormatter> byFormat = new EnumMap<>(PayloadFormat.class);

  public Formatters(List<PayloadFormatter> formatters) {
    formatters.forEach(f -> byFormat.put(f.format(), f));
  }

  /** The formatters for {@code alertmanager}, {@code webhook} and {@code log}. */
  public static Formatters standard() {
    return new Formatters(
        List.of(
            new AlertmanagerFormatter(),
            new WebhookFormatter(PayloadFormat.WEBHOOK),
            new WebhookFormatter(PayloadFormat.LOG)));
  }

  public Set<PayloadFormat> available() {
    return Set.copyOf(byFormat.keySet());
  }

  /** The formatter for a format a valid target uses. */
  public PayloadFormatter get(PayloadFormat format) {
    PayloadFormatter f = byFormat.get(format);
    if (f == null) {
      throw new IllegalStateException("no formatter for " + format.wireName());
    }
    return f;
  }
}
