package io.alerthistory.delivery;

import java.time.Duration;

/**
 * Runs short tasks after a delay. Every wait of the engine (retry backoff, pacing, an open breaker)
 * goes through it, so tests drive time by hand instead of sleeping.
 */
public interface Scheduler {

  /** A scheduled task that has not run yet can be cancelled; cancelling later does nothing. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }

  /** Runs {@code task} once, {@code delay} from now. Tasks must not block. */
  Cancellable schedule(Duration delay, Runnable task);

  /** Drops pending tasks and stops the scheduler's thread. */
  void shutdown();
}
