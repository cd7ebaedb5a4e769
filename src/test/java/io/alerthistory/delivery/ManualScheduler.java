package io.alerthistory.delivery;

import io.alerthistory.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * A scheduler driven by the test: {@link #advance} moves the clock and runs every task that falls
 * due, each at its own due time, on the calling thread.
 */
final class ManualScheduler implements Scheduler {
  private record Task(Instant due, long seq, Runnable run) {}

  private final MutableClock clock;
  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(Comparator.comparing(Task::due).thenComparingLong(Task::seq));
  private long seq;
  private boolean shutdown;

  ManualScheduler(MutableClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable run) {
    if (shutdown) {
      return () -> {};
    }
    Task t = new Task(clock.instant().plus(delay), seq++, run);
    tasks.add(t);
    return () -> {
      synchronized (this) {
        tasks.remove(t);
      }
    };
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
    tasks.clear();
  }

  /** Moves time forward by {@code d}, running what falls due in order. */
  void advance(Duration d) {
    Instant end = clock.instant().plus(d);
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.due().isAfter(end)) {
          break;
        }
        tasks.poll();
      }
      if (next.due().isAfter(clock.instant())) {
        clock.set(next.due());
      }
      next.run().run();
    }
    clock.set(end);
  }

  /** How long until the earliest pending task, or null when none is pending. */
  synchronized Duration nextDelay() {
    Task next = tasks.peek();
    return next == null ? null : Duration.between(clock.instant(), next.due());
  }

  synchronized int pending() {
    return tasks.size();
  }
}
