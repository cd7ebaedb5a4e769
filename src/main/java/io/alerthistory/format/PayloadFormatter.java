package io.alerthistory.format;

import io.alerthistory.alert.Alert;
import io.alerthistory.alert.Notification;
import io.alerthistory.attempt.AttemptOutcome;
import io.alerthistory.target.PayloadFormat;
import io.alerthistory.target.Target;
import java.util.List;

/**
 * Turns the alerts of one delivery into the request a target expects, and reads the target's answer
 * into an outcome.
 *
 * <p>An engine calls it like this, once per attempt (Rootly's request depends on the incident
 * store, which an earlier attempt or delivery may have changed):
 *
 * <pre>{@code
 * PayloadFormatter f = formatters.get(target.format());
 * // perAlert(): one delivery per alert, each with List.of(alert)
 * switch (f.prepare(target, notification, alerts)) {
 *   case Prepared.Settled s -> outcome = s.outcome();
 *   case Prepared.Send s -> {
 *     // send s.request() (method, url, headers, body) with the target's timeout; map network
 *     // errors and timeouts to Retry as HttpSender does; otherwise:
 *     outcome = f.outcome(target, s.request(), new ReceivedResponse(status, headers, body, now));
 *   }
 * }
 * }</pre>
 */
public interface PayloadFormatter {

  PayloadFormat format();

  /**
   * Renders the body. Incident-shaped formats take exactly one alert and cannot add what only the
   * target knows (PagerDuty's routing key); senders should use {@link #prepare}.
   *
   * @param notification the notification the alerts came in
   * @param alerts the alerts that passed the target's filter, never empty
   */
  byte[] render(Notification notification, List<Alert> alerts);

  /**
   * Whether each delivery carries exactly one alert (incident-shaped: pagerduty, rootly) rather
   * than all of a notification's filtered alerts (group-shaped).
   */
  default boolean perAlert() {
    return false;
  }

  /**
   * Builds the request for one attempt: by default a JSON POST of {@link #render} to the target URL
   * with the target's headers. URL credentials, the timeout and the User-Agent are left to the
   * sender. Not for {@code log} targets, which have no URL.
   */
  default Prepared prepare(Target target, Notification notification, List<Alert> alerts) {
    return new Prepared.Send(
        OutgoingRequest.of(
            "POST", target.url(), "application/json", target, render(notification, alerts), null));
  }

  /** Reads the answer to a request {@link #prepare} built; by default any 2xx is delivered. */
  default AttemptOutcome outcome(Target target, OutgoingRequest request, ReceivedResponse answer) {
    return answer.classify(target);
  }
}
