package io.alerthistory.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.alerthistory.stats.Fixtures;
import io.alerthistory.target.TargetRegistry;
import io.alerthistory.testing.MutableClock;
import io.alerthistory.time.Scheduler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** When probes run: a round at start, one every interval, and at once for a new target. */
class HealthMonitorScheduleTest {
  private record Task(Duration delay, Runnable run) {}

  private final List<Task> tasks = new ArrayList<>();
  private final Set<String> probed = ConcurrentHashMap.newKeySet();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

  private final Scheduler recording =
      new Scheduler() {
        @Override
        public synchronized Cancellable schedule(Duration delay, Runnable task) {
          tasks.add(new Task(delay, task));
          return () -> {};
        }

        @Override
        public boolean shutdown(Duration timeout) {
          return true;
        }
      };

  @Test
  void firstRoundAtStartThenEveryIntervalAndNewTargetsAtOnce() {
    TargetRegistry registry =
        Fixtures.registry(clock.instant(), Fixtures.webhook("a", "http://127.0.0.1:1/"));
    HealthMonitor monitor =
        new HealthMonitor(
            registry,
            t -> {
              probed.add(t.name());
              return ProbeResult.ok(Duration.ofMillis(1));
            },
            HealthSettings.defaults().withInterval(Duration.ofMinutes(3)),
            clock,
            recording,
            new PrometheusRegistry());
    assertThat(tasks).isEmpty();

    monitor.start();
    assertThat(tasks).extracting(Task::delay).containsExactly(Duration.ZERO);
    tasks.removeFirst().run().run();
    assertThat(probed).containsExactly("a");
    assertThat(tasks).extracting(Task::delay).containsExactly(Duration.ofMinutes(3));

    Fixtures.replace(
        registry,
        clock.instant(),
        Fixtures.webhook("a", "http://127.0.0.1:1/"),
        Fixtures.webhook("b", "http://127.0.0.1:2/"));
    assertThat(tasks).extracting(Task::delay).containsExactly(Duration.ofMinutes(3), Duration.ZERO);
    probed.clear();
    tasks.removeLast().run().run();
    assertThat(probed).containsExactly("b");
    assertThat(monitor.status("b")).isEqualTo(HealthStatus.HEALTHY);
    assertThat(monitor.stop(Duration.ofSeconds(1))).isTrue();
  }
}
