package io.alerthistory.bench;

import io.alerthistory.alert.Notification;
import io.alerthistory.format.Fixtures;
import io.alerthistory.format.Formatters;
import io.alerthistory.format.PayloadFormatter;
import io.alerthistory.format.Prepared;
import io.alerthistory.store.InMemoryIncidentStore;
import io.alerthistory.target.PayloadFormat;
import io.alerthistory.target.Target;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Building the requests for one 15-alert notification: one request for the group formats, 15 for
 * pagerduty and rootly. Compare each to {@code webhook}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FormatBench {
  @Param({"webhook", "alertmanager", "slack", "pagerduty", "rootly"})
  public String format;

  private PayloadFormatter formatter;
  private Target target;
  private Notification notification;

  @Setup
  public void setUp() {
    PayloadFormat f = PayloadFormat.fromWire(format);
    formatter = Formatters.standard(new PrometheusRegistry(), new InMemoryIncidentStore()).get(f);
    target = Fixtures.target(f);
    notification = Fixtures.many(15, 200);
  }

  @Benchmark
  public int requests() {
    int bytes = 0;
    for (Prepared p : Fixtures.prepareAll(formatter, target, notification)) {
      bytes += ((Prepared.Send) p).request().body().length;
    }
    return bytes;
  }
}
