package io.alerthistory.delivery;

import io.alerthistory.attempt.AttemptOutcome;
import io.alerthistory.target.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers to {@code log} targets by writing the body as one structured log line. */
public final class LogSender {
  private static final Logger log = LoggerFactory.getLogger("io.alerthistory.notifications");

  public AttemptOutcome write(Target target, byte[] body) {
    log.atInfo()
        .addKeyValue("target", target.name())
        .addKeyValue("notification", new RawJson(body))
        .log("notification");
    return new AttemptOutcome.Delivered(0);
  }
}
