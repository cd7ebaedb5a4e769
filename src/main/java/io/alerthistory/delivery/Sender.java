package io.alerthistory.delivery;

import io.alerthistory.attempt.AttemptOutcome;
import io.alerthistory.format.OutgoingRequest;
import io.alerthistory.format.PayloadFormatter;
import io.alerthistory.target.Target;

/** Sends one request a format built and returns what the format makes of the answer. */
public interface Sender {
  AttemptOutcome send(Target target, OutgoingRequest request, PayloadFormatter format);
}
