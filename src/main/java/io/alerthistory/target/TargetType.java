package io.alerthistory.target;

import java.util.Locale;
import java.util.Set;

/** The kinds of destination, each with its default payload format and outbound pace. */
public enum TargetType {
  WEBHOOK(PayloadFormat.WEBHOOK, Set.of(PayloadFormat.WEBHOOK, PayloadFormat.ALERTMANAGER), null),
  SLACK(PayloadFormat.SLACK, Set.of(PayloadFormat.SLACK), "1/s"),
  PAGERDUTY(PayloadFormat.PAGERDUTY, Set.of(PayloadFormat.PAGERDUTY), "120/m"),
  ROOTLY(PayloadFormat.ROOTLY, Set.of(PayloadFormat.ROOTLY), "60/m"),
  LOG(PayloadFormat.LOG, Set.of(PayloadFormat.LOG), null);

  private final PayloadFormat defaultFormat;
  private final Set<PayloadFormat> allowedFormats;
  private final String defaultRateLimit;

  TargetType(PayloadFormat defaultFormat, Set<PayloadFormat> allowed, String defaultRateLimit) {
    this.defaultFormat = defaultFormat;
    this.allowedFormats = allowed;
    this.defaultRateLimit = defaultRateLimit;
  }

  public PayloadFormat defaultFormat() {
    return defaultFormat;
  }

  public Set<PayloadFormat> allowedFormats() {
    return allowedFormats;
  }

  /** The pace used when the target sets none; null means unlimited. */
  public RateLimit defaultRateLimit() {
    return defaultRateLimit == null ? null : RateLimit.parse(defaultRateLimit);
  }

  public boolean needsUrl() {
    return this != LOG;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type for its wire name, or null. */
  public static TargetType fromWire(String text) {
    for (TargetType t : values()) {
      if (t.wireName().equals(text)) {
        return t;
      }
    }
    return null;
  }
}
