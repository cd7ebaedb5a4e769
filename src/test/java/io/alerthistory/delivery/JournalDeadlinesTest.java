package io.alerthistory.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.alerthistory.testing.ManualScheduler;
import io.alerthistory.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class JournalDeadlinesTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final JournalDeadlines deadlines =
      new JournalDeadlines(clock, scheduler, Duration.ofSeconds(10));

  @Test
  void aWriteDoneInTimeIsLeftAloneAndTheTimerStops() {
    CompletableFuture<Void> write = new CompletableFuture<>();
    deadlines.watch(write);
    scheduler.advance(Duration.ofSeconds(3));
    write.complete(null);

    scheduler.advance(Duration.ofSeconds(20));
    assertThat(write).isCompleted();
    assertThat(scheduler.pending()).isEmpty();
  }

  @Test
  void eachWriteFailsAtItsOwnDeadlineWithinOneTick() {
    CompletableFuture<Void> first = new CompletableFuture<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    CompletableFuture<Void> second = new CompletableFuture<>();
    deadlines.watch(first);
    scheduler.advance(Duration.ofSeconds(2));
    deadlines.watch(done);
    done.complete(null);
    scheduler.advance(Duration.ofSeconds(3));
    deadlines.watch(second);

    scheduler.advance(Duration.ofMillis(4_900));
    assertThat(first).isNotDone();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(first)
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(TimeoutException.class);
    assertThat(second).isNotDone();

    scheduler.advance(Duration.ofSeconds(4));
    assertThat(second).isNotDone();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(second).isCompletedExceptionally();
    assertThat(done).isCompleted().isNotCompletedExceptionally();
    assertThat(scheduler.pending()).isEmpty();
  }

  @Test
  void aWriteAlreadyDoneIsNotWatched() {
    deadlines.watch(CompletableFuture.completedFuture(null));
    assertThat(scheduler.pending()).isEmpty();
  }
}
