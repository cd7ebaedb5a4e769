package io.alerthistory.format;

import io.alerthistory.alert.Alert;
import io.alerthistory.alert.Notification;
import java.util.List;

/** Text helpers shared by the chat and incident formats. */
final class Texts {
  static final String TRUNCATED = "…(truncated)";

  private Texts() {}

  /** The text cut to at most {@code max} UTF-16 units, ending with the marker when cut. */
  static String truncate(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int keep = max - TRUNCATED.length();
    if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
      keep--;
    }
    return text.substring(0, Math.max(0, keep)) + TRUNCATED;
  }

  /** The one alert of an incident-shaped delivery. */
  static Alert single(List<Alert> alerts) {
    if (alerts.size() != 1) {
      throw new IllegalArgumentException(
          "incident-shaped formats take one alert per delivery, got " + alerts.size());
    }
    return alerts.getFirst();
  }

  /** The group's alert name: the grouping label, else the first alert's. */
  static String alertname(Notification n, Alert first) {
    String name = n.groupLabels().get("alertname");
    if (name == null) {
      name = n.commonLabels().get("alertname");
    }
    return name == null ? first.alertname() : name;
  }

  /** {@code alertname: summary} (or the description when there is no summary). */
  static String title(Alert a) {
    String detail = a.annotations().getOrDefault("summary", "");
    if (detail.isBlank()) {
      detail = a.annotations().getOrDefault("description", "");
    }
    return detail.isBlank() ? a.alertname() : a.alertname() + ": " + detail.strip();
  }
}
