package io.alerthistory.delivery;

import io.alerthistory.attempt.AttemptOutcome;
import io.alerthistory.attempt.FailureReason;
import io.alerthistory.target.Target;
import java.time.Instant;

/**
 * A delivery held by a lane, with its attempt count and last failure. Mutable fields are guarded by
 * the owning lane's lock.
 */
final class Job {
  final Delivery delivery;
  final Priority priority;

  /** When it was accepted or replayed; its age and latency are measured from here. */
  final Instant startedAt;

  /** Set when this is a delivery handed to its target's fallback; null otherwise. */
  final Handover handover;

  /**
   * Where a fallback delivery came from: the target that gave up, its job (parked if the fallback
   * fails too) and why it gave up.
   */
  record Handover(Target from, Job original, DeadLetterReason reason) {}

  JobState state = JobState.QUEUED;
  int attempts;
  Instant nextAttemptAt;
  Instant lastAttemptAt;
  AttemptOutcome lastOutcome;

  Job(Delivery delivery, Instant startedAt) {
    this(delivery, startedAt, null);
  }

  Job(Delivery delivery, Instant startedAt, Handover handover) {
    this.delivery = delivery;
    this.priority = Priority.of(delivery.alerts());
    this.startedAt = startedAt;
    this.handover = handover;
  }

  /** A fallback is sent once; other deliveries get the configured number of attempts. */
  int maxAttempts(int configured) {
    return handover == null ? configured : 1;
  }

  JobView view() {
    FailureReason failure = lastOutcome == null ? null : lastOutcome.failure();
    int status = lastOutcome == null ? 0 : lastOutcome.status();
    return new JobView(
        delivery.id(),
        delivery.target(),
        state.wireName(),
        priority.wireName(),
        attempts,
        delivery.receivedAt().toString(),
        startedAt.toString(),
        nextAttemptAt == null || state != JobState.RETRYING ? null : nextAttemptAt.toString(),
        failure == null ? null : failure.label(),
        status == 0 ? null : status,
        delivery.fingerprints());
  }
}
