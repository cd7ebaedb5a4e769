package io.alerthistory.time;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Scheduler} on a {@link ScheduledThreadPoolExecutor} whose one timer thread only starts
 * each due task on its own virtual thread, so a task that blocks never delays the next one. Threads
 * are named {@code <prefix>-timer} and {@code <prefix>-task-N}.
 */
public final class VirtualThreadScheduler implements Scheduler {
  private static final Logger log = LoggerFactory.getLogger(VirtualThreadScheduler.class);

  private final String prefix;
  private final ScheduledThreadPoolExecutor timer;
  private final Set<Thread> running = ConcurrentHashMap.newKeySet();
  private final AtomicLong taskIds = new AtomicLong();
  private volatile boolean closed;

  public VirtualThreadScheduler(String prefix) {
    this.prefix = prefix;
    this.timer =
        new ScheduledThreadPoolExecutor(1, Thread.ofVirtual().name(prefix + "-timer").factory());
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    if (closed) {
      return () -> {};
    }
    ScheduledFuture<?> f =
        timer.schedule(() -> launch(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  private void launch(Runnable task) {
    if (closed) {
      return;
    }
    Thread t =
        Thread.ofVirtual()
            .name(prefix + "-task-" + taskIds.incrementAndGet())
            .unstarted(
                () -> {
                  try {
                    task.run();
                  } catch (RuntimeException | Error e) {
                    log.atError().setCause(e).log("scheduled task failed");
                  } finally {
                    running.remove(Thread.currentThread());
                  }
                });
    running.add(t);
    t.start();
  }

  @Override
  public boolean shutdown(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    closed = true;
    timer.shutdownNow();
    try {
      // After the timer has ended no task can be launched any more.
      if (!timer.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS)) {
        return false;
      }
      for (Thread t : running) {
        t.interrupt();
      }
      for (Thread t : running) {
        if (!t.join(Duration.ofNanos(remaining(deadline)))) {
          return false;
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }
}
