package io.alerthistory.delivery;

/** Why a delivery was parked in the dead-letter queue; label values of the dead-letter metric. */
public enum DeadLetterReason {
  /** The target refused it for good (a 4xx other than 408 and 429). */
  PERMANENT_FAILURE("permanent_failure"),
  /** Every one of {@code DELIVERY_MAX_ATTEMPTS} attempts failed. */
  ATTEMPTS_EXHAUSTED("attempts_exhausted"),
  /** It was still undelivered {@code DELIVERY_MAX_AGE} after acceptance. */
  MAX_AGE("max_age"),
  /** Its target was removed or disabled while it waited. */
  TARGET_REMOVED("target_removed"),
  /** The service stopped before it was delivered. */
  SHUTDOWN("shutdown");

  private final String wireName;

  DeadLetterReason(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The reason for its wire name, or null. */
  public static DeadLetterReason fromWire(String text) {
    for (DeadLetterReason r : values()) {
      if (r.wireName.equals(text)) {
        return r;
      }
    }
    return null;
  }
}
