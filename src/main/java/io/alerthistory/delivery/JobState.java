package io.alerthistory.delivery;

/** Where a delivery a lane holds stands. */
public enum JobState {
  /** Waiting its turn: for a worker, the rate pacer or a closed breaker. */
  QUEUED("queued"),
  /** Failed transiently; re-queued when its backoff ends. */
  RETRYING("retrying"),
  /** Its request is being sent. */
  IN_FLIGHT("in_flight");

  private final String wireName;

  JobState(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The state for its wire name, or null. */
  public static JobState fromWire(String text) {
    for (JobState s : values()) {
      if (s.wireName.equals(text)) {
        return s;
      }
    }
    return null;
  }
}
