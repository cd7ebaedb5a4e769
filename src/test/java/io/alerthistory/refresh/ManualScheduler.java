package io.alerthistory.refresh;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A scheduler driven by the test: {@link #advance(Duration)} moves the clock to each due task in
 * turn and runs it on the calling thread.
 */
final class ManualScheduler implements Scheduler {
  private record Task(Instant due, long seq, Runnable run) {}

  private final MutableClock clock;
  private final PriorityQueue<Task> queue =
      new PriorityQueue<>(Comparator.comparing(Task::due).thenComparingLong(Task::seq));
  private long seq;
  private boolean shut;

  ManualScheduler(MutableClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    if (shut) {
      return () -> {};
    }
    Task t = new Task(clock.instant().plus(delay), seq++, task);
    queue.add(t);
    return () -> {
      synchronized (this) {
        queue.remove(t);
      }
    };
  }

  /** Runs the tasks due now, including those they schedule for now. */
  void runDue() {
    advance(Duration.ZERO);
  }

  /** Moves time forward by {@code d}, running every task that falls due on the way, in order. */
  void advance(Duration d) {
    Instant target = clock.instant().plus(d);
    while (true) {
      Task t;
      synchronized (this) {
        t = queue.peek();
        if (t == null || t.due().isAfter(target)) {
          break;
        }
        queue.poll();
      }
      if (t.due().isAfter(clock.instant())) {
        clock.set(t.due());
      }
      t.run().run();
    }
    clock.set(target);
  }

  synchronized List<Instant> pending() {
    return queue.stream().sorted(queue.comparator()).map(Task::due).toList();
  }

  @Override
  public synchronized boolean shutdown(Duration timeout) {
    shut = true;
    queue.clear();
    return true;
  }
}
