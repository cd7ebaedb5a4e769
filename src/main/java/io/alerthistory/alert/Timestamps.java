package io.alerthistory.alert;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** RFC 3339 timestamps as Alertmanager writes them (any offset, optional fractional seconds). */
public final class Timestamps {
  private Timestamps() {}

  /**
   * Returns the instant, or throws {@link DateTimeParseException} for text that is not RFC 3339.
   */
  public static Instant parse(String text) {
    return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
  }

  static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
