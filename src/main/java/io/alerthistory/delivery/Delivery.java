package io.alerthistory.delivery;

import io.alerthistory.alert.Alert;
import io.alerthistory.alert.Notification;
import java.time.Instant;
import java.util.List;

/**
 * One outgoing request to one target: the alerts of a notification that passed its filter. It names
 * the target rather than holding it, so each attempt uses the target's current settings.
 *
 * @param receivedAt when the notification was accepted
 */
public record Delivery(
    String id, String target, Notification notification, List<Alert> alerts, Instant receivedAt) {
  public Delivery {
    alerts = List.copyOf(alerts);
  }

  public List<String> fingerprints() {
    return alerts.stream().map(Alert::fingerprint).toList();
  }
}
