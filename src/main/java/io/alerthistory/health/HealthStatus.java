package io.alerthistory.health;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A target's health (DESIGN §8). {@link #gaugeValue()} is the value of {@code
 * alert_history_publishing_target_health}: 0 unknown, 1 healthy, 2 degraded, 3 unhealthy.
 */
public enum HealthStatus {
  UNKNOWN,
  HEALTHY,
  DEGRADED,
  UNHEALTHY;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  @JsonValue
  public String wireName() {
    return wireName;
  }

  public int gaugeValue() {
    return ordinal();
  }

  /** The status for its wire name, or null. */
  public static HealthStatus fromWire(String text) {
    for (HealthStatus s : values()) {
      if (s.wireName.equals(text)) {
        return s;
      }
    }
    return null;
  }
}
