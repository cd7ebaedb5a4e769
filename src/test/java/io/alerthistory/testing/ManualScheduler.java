package io.alerthistory.testing;

import io.alerthistory.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A scheduler driven by the test: {@link #advance} moves the clock to each due task in turn and
 * runs it on the calling thread.
 */
public final class ManualScheduler implements Scheduler {
  private record Task(Instant due, long seq, Runnable run) {}

  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(Comparator.comparing(Task::due).thenComparingLong(Task::seq));
  private final MutableClock clock;
  private long seq;
  private boolean shut;

  public ManualScheduler(MutableClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable run) {
    if (shut) {
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
  public synchronized boolean shutdown(Duration timeout) {
    shut = true;
    tasks.clear();
    return true;
  }

  /** Runs the tasks due now, including those they schedule for now. */
  public void runDue() {
    advance(Duration.ZERO);
  }

  /** Moves time forward by {@code d}, running every task that falls due on the way, in order. */
  public void advance(Duration d) {
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

  /** When the pending tasks are due, earliest first. */
  public synchronized List<Instant> pending() {
    return tasks.stream().sorted(tasks.comparator()).map(Task::due).toList();
  }

  /** How long until the earliest pending task, or null when none is pending. */
  public synchronized Duration nextDelay() {
    Task next = tasks.peek();
    return next == null ? null : Duration.between(clock.instant(), next.due());
  }
}
