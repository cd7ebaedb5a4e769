package io.alerthistory.bench;

import io.alerthistory.attempt.FailureReason;
import io.alerthistory.stats.DeliveryStats;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Recording one outcome into the stats buckets, as the delivery engine does on every attempt. Goal:
 * under 200 ns and no allocation ({@code -prof gc}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StatsRecordBench {
  private static final int TARGETS = 1000;

  private final String[] names = new String[TARGETS];
  private DeliveryStats stats;
  private int next;

  @Setup
  public void setup() {
    stats = new DeliveryStats(InstantSource.system());
    for (int i = 0; i < TARGETS; i++) {
      names[i] = "team-" + i;
      stats.attempt(names[i], 0);
    }
  }

  private String target() {
    int i = next + 1;
    next = i == TARGETS ? 0 : i;
    return names[next];
  }

  /** A success: the success count and the latency histogram. */
  @Benchmark
  public void delivered() {
    stats.delivered(target(), 123_456_789L);
  }

  @Benchmark
  public void attempt() {
    stats.attempt(target(), 50_000_000L);
  }

  @Benchmark
  public void failed() {
    stats.failed(target(), FailureReason.SERVER_ERROR);
  }

  /** A successful delivery as the engine reports it: attempt, delivered, queue depth. */
  @Benchmark
  public void fullSuccess() {
    String t = target();
    stats.attempt(t, 50_000_000L);
    stats.delivered(t, 123_456_789L);
    stats.queueDepth(t, 3);
  }
}
