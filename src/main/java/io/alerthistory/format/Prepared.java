package io.alerthistory.format;

import io.alerthistory.attempt.AttemptOutcome;

/** What a format makes of one delivery attempt: a request to send, or an outcome without one. */
public sealed interface Prepared permits Prepared.Send, Prepared.Settled {

  record Send(OutgoingRequest request) implements Prepared {}

  /**
   * No request is needed or possible, e.g. a Rootly alert whose incident is already open, or a
   * resolution for an incident that was never recorded.
   */
  record Settled(AttemptOutcome outcome) implements Prepared {}
}
