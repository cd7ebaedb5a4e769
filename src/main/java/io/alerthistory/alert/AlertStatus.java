package io.alerthistory.alert;

/** Alertmanager's two states of an alert or a notification. */
public enum AlertStatus {
  FIRING,
  RESOLVED;

  public String wireName() {
    return this == FIRING ? "firing" : "resolved";
  }

  /** Returns the status for {@code firing} or {@code resolved}, or null for anything else. */
  public static AlertStatus fromWire(String text) {
    return switch (text) {
      case "firing" -> FIRING;
      case "resolved" -> RESOLVED;
      default -> null;
    };
  }
}
