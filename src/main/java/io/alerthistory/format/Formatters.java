package io.alerthistory.format;

import io.alerthistory.store.InMemoryIncidentStore;
import io.alerthistory.store.IncidentStore;
import io.alerthistory.target.PayloadFormat;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
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

  /**
   * Every format, with metrics in a private registry and Rootly incidents kept in memory: enough
   * for {@link #available()} and for tests; a running service uses {@link
   * #standard(PrometheusRegistry, IncidentStore)}.
   */
  public static Formatters standard() {
    return standard(new PrometheusRegistry(), new InMemoryIncidentStore());
  }

  /** Every format; call once per registry, since the formatters register their metrics there. */
  public static Formatters standard(PrometheusRegistry registry, IncidentStore incidents) {
    return new Formatters(
        List.of(
            new AlertmanagerFormatter(),
            new WebhookFormatter(PayloadFormat.WEBHOOK),
            new WebhookFormatter(PayloadFormat.LOG),
            new SlackFormatter(),
            new PagerDutyFormatter(registry),
            new RootlyFormatter(incidents, registry)));
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
