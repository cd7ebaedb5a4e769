package io.alerthistory.delivery;

import io.alerthistory.attempt.AttemptOutcome;
import io.alerthistory.attempt.FailureReason;
import io.alerthistory.format.Formatters;
import io.alerthistory.format.PayloadFormatter;
import io.alerthistory.format.Prepared;
import io.alerthistory.target.Target;
import io.alerthistory.target.TargetType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes one attempt: prepares the request in the target's current format and sends it. */
final class AttemptRunner {
  private static final Logger log = LoggerFactory.getLogger(AttemptRunner.class);

  private final Formatters formatters;
  private final Sender http;
  private final LogSender logSender;

  AttemptRunner(Formatters formatters, Sender http, LogSender logSender) {
    this.formatters = formatters;
    this.http = http;
    this.logSender = logSender;
  }

  AttemptOutcome run(Target target, Delivery d) {
    try {
      PayloadFormatter format = formatters.get(target.format());
      if (target.type() == TargetType.LOG) {
        return logSender.write(target, format.render(d.notification(), d.alerts()));
      }
      // prepared on every attempt: Rootly's request depends on incidents opened meanwhile
      return switch (format.prepare(target, d.notification(), d.alerts())) {
        case Prepared.Settled settled -> settled.outcome();
        case Prepared.Send send -> http.send(target, send.request(), format);
      };
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
