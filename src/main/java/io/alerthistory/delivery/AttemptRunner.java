package io.alerthistory.delivery;

import io.alerthistory.format.Formatters;
import io.alerthistory.target.Target;
import io.alerthistory.target.TargetType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes one attempt: renders the body in the target's current format and sends it. */
final class AttemptRunner {
  private static final Logger log = LoggerFactory.getLogger(AttemptRunner.class);

  private final Formatters formatters;
  private final Sender http;
  private final Sender logSender;

  AttemptRunner(Formatters formatters, Sender http, Sender logSender) {
    this.formatters = formatters;
    this.http = http;
    this.logSender = logSender;
  }

  AttemptOutcome run(Target target, Delivery d) {
    try {
      byte[] body = formatters.get(target.format()).render(d.notification(), d.alerts());
      return (target.type() == TargetType.LOG ? logSender : http).send(target, body);
    } catch (RuntimeException e) {
      // a bug, not the target's fault: retrying the same input cannot help
      log.atError()
          .addKeyValue("delivery_id", d.id())
          .addKeyValue("target", target.name())
          .setCause(e)
          .log("delivery attempt crashed");
      return new AttemptOutcome.DeadLetter(
          FailureReason.CLIENT_ERROR, 0, "internal error: " + e.getClass().getSimpleName());
    }
  }
}
