package io.alerthistory.bench;

import io.alerthistory.json.Json;
import io.alerthistory.refresh.RefreshManager;
import io.alerthistory.refresh.RefreshSettings;
import io.alerthistory.refresh.RefreshStatus;
import io.alerthistory.target.PayloadFormat;
import io.alerthistory.target.SourceEntry;
import io.alerthistory.target.TargetParser;
import io.alerthistory.target.TargetRegistry;
import io.alerthistory.target.source.TargetSource;
import io.alerthistory.time.VirtualThreadScheduler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** {@link RefreshManager#status()}, called on every status request. Goal: under 1 µs. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RefreshStatusBench {
  private RefreshManager manager;

  /** A source that lists a fixed set of 100 targets. */
  private static final class FixedSource implements TargetSource {
    private final List<SourceEntry> entries = new ArrayList<>();
    private volatile boolean watching;

    FixedSource() {
      for (int i = 0; i < 100; i++) {
        try {
          entries.add(
              new SourceEntry.Declared(
                  "/targets/t" + i + ".json",
                  "",
                  "t" + i,
                  Json.MAPPER.readTree("{\"type\":\"log\"}")));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }

    @Override
    public String name() {
      return "bench";
    }

    @Override
    public List<SourceEntry> list() {
      return entries;
    }

    @Override
    public void watch(Consumer<List<SourceEntry>> onChange) {
      watching = true;
    }

    @Override
    public boolean watching() {
      return watching;
    }

    @Override
    public void close() {
      watching = false;
    }
  }

  @Setup
  public void setUp() throws InterruptedException {
    manager =
        new RefreshManager(
            new FixedSource(),
            new TargetParser(EnumSet.allOf(PayloadFormat.class)),
            new TargetRegistry(),
            RefreshSettings.defaults(),
            Clock.systemUTC(),
            new VirtualThreadScheduler("refresh-bench"),
            new PrometheusRegistry());
    manager.start();
    if (!manager.awaitFirstLoad(Duration.ofSeconds(10))) {
      throw new IllegalStateException("targets not loaded");
    }
  }

  @TearDown
  public void tearDown() {
    manager.stop(Duration.ofSeconds(5));
  }

  @Benchmark
  public RefreshStatus status() {
    return manager.status();
  }
}
