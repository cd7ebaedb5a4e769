package io.alerthistory.time;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Scheduler} on one daemon timer thread, for tasks that never block: the delivery engine's
 * only move deliveries between queues and start attempts on other threads, so one thread keeps up.
 */
public final class ExecutorScheduler implements Scheduler {
  private static final Logger log = LoggerFactory.getLogger(ExecutorScheduler.class);

  private final ScheduledThreadPoolExecutor timer;

  public ExecutorScheduler(String name) {
    timer =
        new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name(name).daemon(true).factory());
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    if (timer.isShutdown()) {
      return () -> {};
    }
    ScheduledFuture<?> f =
        timer.schedule(
            () -> {
              try {
                task.run();
              } catch (RuntimeException | Error e) {
                log.atError().setCause(e).log("scheduled task failed");
              }
            },
            Math.max(0, delay.toNanos()),
            TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public boolean shutdown(Duration timeout) {
    timer.shutdownNow();
    try {
      return timer.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
