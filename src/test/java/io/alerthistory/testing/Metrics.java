package io.alerthistory.testing;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/** Reads metric values from a registry the way a scrape sees them. */
public final class Metrics {
  private final PrometheusRegistry registry;

  public Metrics(PrometheusRegistry registry) {
    this.registry = registry;
  }

  /**
   * The sum of the matching series: a counter's or gauge's value, a histogram's count.
   *
   * @param name the name without {@code _total}
   * @param labels pairs of label name and value the series must carry
   */
  public double value(String name, String... labels) {
    double sum = 0;
    for (MetricSnapshot s : registry.scrape()) {
      if (!s.getMetadata().getName().equals(name)) {
        continue;
      }
      for (DataPointSnapshot d : s.getDataPoints()) {
        if (matches(d, labels)) {
          sum +=
              switch (d) {
                case CounterSnapshot.CounterDataPointSnapshot c -> c.getValue();
                case GaugeSnapshot.GaugeDataPointSnapshot g -> g.getValue();
                case HistogramSnapshot.HistogramDataPointSnapshot h -> h.getCount();
                default -> 0;
              };
        }
      }
    }
    return sum;
  }

  /** Whether any series of any metric carries the label value. */
  public boolean anySeriesWith(String label, String value) {
    return registry.scrape().stream()
        .flatMap(s -> s.getDataPoints().stream())
        .anyMatch(d -> value.equals(d.getLabels().get(label)));
  }

  private static boolean matches(DataPointSnapshot d, String[] labels) {
    for (int i = 0; i < labels.length; i += 2) {
      if (!labels[i + 1].equals(d.getLabels().get(labels[i]))) {
        return false;
      }
    }
    return true;
  }
}
