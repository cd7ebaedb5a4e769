package io.alerthistory.attempt;

import java.time.Duration;

/** What one attempt to send a delivery came to. */
public sealed interface AttemptOutcome
    permits AttemptOutcome.Delivered, AttemptOutcome.Retry, AttemptOutcome.DeadLetter {

  /** The HTTP status of the answer, or 0 when none came. */
  int status();

  /** Why it failed, or null when it was delivered. */
  default FailureReason failure() {
    return switch (this) {
      case Delivered d -> null;
      case Retry r -> r.reason();
      case DeadLetter d -> d.reason();
    };
  }

  /** The scrubbed answer excerpt or error text, or null. */
  default String detail() {
    return null;
  }

  /** The target took it. */
  record Delivered(int status) implements AttemptOutcome {}

  /**
   * A transient failure: try again later.
   *
   * @param status the HTTP status, or 0 when no response came
   * @param retryAfter the wait the target asked for, or null
   */
  record Retry(FailureReason reason, int status, Duration retryAfter, String detail)
      implements AttemptOutcome {}

  /** A permanent failure: retrying cannot help. */
  record DeadLetter(FailureReason reason, int status, String detail) implements AttemptOutcome {}
}
