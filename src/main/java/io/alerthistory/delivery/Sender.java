package io.alerthistory.delivery;

import io.alerthistory.target.Target;

/** Sends one rendered body to one target and classifies the answer. */
public interface Sender {
  AttemptOutcome send(Target target, byte[] body);
}
