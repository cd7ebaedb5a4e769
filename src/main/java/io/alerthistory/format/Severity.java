package io.alerthistory.format;

import io.alerthistory.alert.Alert;
import java.util.Locale;

/** The four severities PagerDuty knows, read from an alert's {@code severity} label. */
enum Severity {
  CRITICAL,
  ERROR,
  WARNING,
  INFO;

  static Severity of(Alert alert) {
    return switch (alert.label("severity").toLowerCase(Locale.ROOT)) {
      case "critical" -> CRITICAL;
      case "error", "high" -> ERROR;
      case "warning" -> WARNING;
      default -> INFO;
    };
  }

  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
