package io.alerthistory.time;

import java.time.Duration;

/**
 * Runs tasks after a delay. Every wait of the service (refresh backoff, retry backoff, pacing, an
 * open breaker, health probes) goes through it, so tests drive time by hand instead of sleeping.
 */
public interface Scheduler {

  /** A scheduled task that has not run yet can be cancelled; cancelling later does nothing. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }

  /** Runs {@code task} once, {@code delay} from now, on a thread of the scheduler's choosing. */
  Cancellable schedule(Duration delay, Runnable task);

  /**
   * Drops pending tasks, interrupts running ones and waits for them to end.
   *
   * @return whether every thread of the scheduler ended within {@code timeout}
   */
  boolean shutdown(Duration timeout);
}
