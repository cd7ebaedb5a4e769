package io.alerthistory.delivery;

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

  JobState state = JobState.QUEUED;
  int attempts;
  Instant nextAttemptAt;
  Instant lastAttemptAt;
  AttemptOutcome lastOutcome;

  Job(Delivery delivery, Instant startedAt) {
    this.delivery = delivery;
    this.priority = Priority.of(delivery.alerts());
    this.startedAt = startedAt;
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
