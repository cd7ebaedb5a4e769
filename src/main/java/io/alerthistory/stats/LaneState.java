package io.alerthistory.stats;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The live state of one target's delivery lane, as the engine sees it now.
 *
 * @param queueDepth deliveries waiting
 * @param queueCapacity the bound of the queue, 0 when unknown
 * @param oldestQueuedAgeMillis age of the oldest waiting delivery, 0 when the queue is empty
 */
public record LaneState(
    int queueDepth, int queueCapacity, long oldestQueuedAgeMillis, Circuit circuit) {

  public static final LaneState IDLE = new LaneState(0, 0, 0, Circuit.CLOSED);

  /** Circuit breaker state; the ordinal is the value of {@code ..._circuit_state}. */
  public enum Circuit {
    CLOSED,
    HALF_OPEN,
    OPEN;

    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Share of the queue in use, 0..1. */
  public double backlogFill() {
    return queueCapacity <= 0 ? 0 : Math.min(1.0, (double) queueDepth / queueCapacity);
  }
}
