package io.alerthistory.target;

import java.util.Locale;

/** The shapes a delivery's body can take (see docs/targets.md). */
public enum PayloadFormat {
  ALERTMANAGER,
  WEBHOOK,
  SLACK,
  PAGERDUTY,
  ROOTLY,
  LOG;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The format for its wire name, or null. */
  public static PayloadFormat fromWire(String text) {
    for (PayloadFormat f : values()) {
      if (f.wireName().equals(text)) {
        return f;
      }
    }
    return null;
  }
}
