package io.alerthistory.delivery;

import io.alerthistory.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fails journal writes that are not done within a limit, so a webhook waiting for one is refused
 * instead of hanging. One timer serves every pending write: a timed wait per webhook would cost
 * each request a timer entry and its cancellation, which on a busy intake is a large share of the
 * work of waiting for the store.
 *
 * <p>Writes are checked in the order they were watched (their deadlines are in that order), once
 * per {@link #tick} while any is pending, so a write fails between its deadline and one tick later.
 */
final class JournalDeadlines {
  private record Watched(CompletableFuture<?> write, long deadline) {}

  private final Clock clock;
  private final Scheduler scheduler;
  private final Duration limit;
  private final Duration tick;
  private final Queue<Watched> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean armed = new AtomicBoolean();

  JournalDeadlines(Clock clock, Scheduler scheduler, Duration limit) {
    this.clock = clock;
    this.scheduler = scheduler;
    this.limit = limit;
    this.tick = limit.compareTo(Duration.ofSeconds(1)) < 0 ? limit : Duration.ofSeconds(1);
  }

  /** Fails {@code write} with a {@link TimeoutException} if it is not done within the limit. */
  void watch(CompletableFuture<?> write) {
    if (write.isDone()) {
      return;
    }
    pending.add(new Watched(write, clock.millis() + limit.toMillis()));
    arm();
  }

  private void arm() {
    if (!pending.isEmpty() && armed.compareAndSet(false, true)) {
      scheduler.schedule(tick, this::sweep);
    }
  }

  private void sweep() {
    long now = clock.millis();
    for (Watched w = pending.peek(); w != null; w = pending.peek()) {
      if (!w.write().isDone() && w.deadline() > now) {
        break;
      }
      pending.poll();
      if (!w.write().isDone()) {
        w.write()
            .completeExceptionally(
                new TimeoutException(
                    "the journal write took longer than " + limit.toMillis() + " ms"));
      }
    }
    armed.set(false);
    // a write watched after the check of isEmpty above and before the flag was cleared re-arms
    arm();
  }
}
