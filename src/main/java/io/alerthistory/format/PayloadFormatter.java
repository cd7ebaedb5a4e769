package io.alerthistory.format;

import io.alerthistory.alert.Alert;
import io.alerthistory.alert.Notification;
import io.alerthistory.target.PayloadFormat;
import java.util.List;

/** Turns the alerts of one delivery into the body a target expects. */
public interface PayloadFormatter {

  PayloadFormat format();

  /**
   * Renders the body.
   *
   * @param notification the notification the alerts came in
   * @param alerts the alerts that passed the target's filter, never empty
   */
  byte[] render(Notification notification, List<Alert> alerts);
}
