package io.alerthistory.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints Go-style durations such as {@code 30s}, {@code 5m}, {@code 1h30m} or {@code
 * 250ms}.
 */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private Durations() {}

  /**
   * Parses a Go-style duration.
   *
   * @throws IllegalArgumentException when the text is not a non-negative Go duration
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty duration");
    }
    String s = text.trim();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(s);
    int pos = 0;
    double nanos = 0;
    while (pos < s.length()) {
      if (!m.find(pos) || m.start() != pos) {
        throw new IllegalArgumentException("not a duration: " + text);
      }
      nanos += Double.parseDouble(m.group(1)) * unitNanos(m.group(2));
      pos = m.end();
    }
    return Duration.ofNanos(Math.round(nanos));
  }

  private static double unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1;
      case "us", "µs" -> 1e3;
      case "ms" -> 1e6;
      case "s" -> 1e9;
      case "m" -> 60e9;
      case "h" -> 3600e9;
      default -> throw new IllegalArgumentException("unknown unit " + unit);
    };
  }

  /** Formats a duration the way Go prints it, e.g. {@code 1m30s}, {@code 250ms}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.toMillis() < 1000) {
      return d.toMillis() + "ms";
    }
    StringBuilder b = new StringBuilder();
    long h = d.toHours();
    int m = d.toMinutesPart();
    int s = d.toSecondsPart();
    if (h > 0) {
      b.append(h).append('h');
    }
    if (m > 0) {
      b.append(m).append('m');
    }
    if (s > 0 || b.isEmpty()) {
      b.append(s).append('s');
    }
    return b.toString();
  }
}
