package io.alerthistory.delivery;

import io.alerthistory.alert.Alert;
import io.alerthistory.alert.AlertStatus;
import java.util.List;
import java.util.Locale;

/**
 * The order a lane sends in: critical firing alerts first, then other firing ones, then resolved
 * and {@code severity=info}. A delivery takes the most urgent class of its alerts.
 */
public enum Priority {
  CRITICAL,
  FIRING,
  LOW;

  public static Priority of(List<Alert> alerts) {
    Priority best = LOW;
    for (Alert a : alerts) {
      if (a.status() != AlertStatus.FIRING) {
        continue;
      }
      String severity = a.label("severity").toLowerCase(Locale.ROOT);
      if (severity.equals("critical")) {
        return CRITICAL;
      }
      if (!severity.equals("info")) {
        best = FIRING;
      }
    }
    return best;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
