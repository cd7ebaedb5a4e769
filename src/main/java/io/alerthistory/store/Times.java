package io.alerthistory.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Instants as fixed-width UTC text ({@code 2026-11-23T10:15:30.123456789Z}): readable in a SQL
 * shell, and text order is time order in both dialects.
 */
final class Times {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  private Times() {}

  static String format(Instant instant) {
    return FORMAT.format(instant);
  }

  static String formatOrNull(Instant instant) {
    return instant == null ? null : format(instant);
  }

  static Instant parse(String text) {
    return Instant.parse(text);
  }

  static Instant parseOrNull(String text) {
    return text == null ? null : parse(text);
  }
}
