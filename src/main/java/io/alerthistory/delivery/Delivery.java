package io.alerthistory.delivery;

import io.alerthistory.alert.Alert;
import io.alerthistory.alert.Notification;
import io.alerthistory.target.Target;
import java.time.Instant;
import java.util.List;

/**
 * One outgoing request to one target: the alerts of a notification that passed its filter.
 *
 * @param receivedAt when the notification was accepted; latency is measured from here
 */
public record Delivery(
    String id, Target target, Notification notification, List<Alert> alerts, Instant receivedAt) {
  public Delivery {
    alerts = List.copyOf(alerts);
  }
}
