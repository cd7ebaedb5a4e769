package io.alerthistory.target;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An outbound pace such as {@code 60/m}: at most {@code count} requests per {@code per}. */
public record RateLimit(int count, Duration per) {
  private static final Pattern SYNTAX = Pattern.compile("(\\d+)\\s*/\\s*(s|m|h)");

  /**
   * Parses {@code N/s}, {@code N/m} or {@code N/h}.
   *
   * @throws IllegalArgumentException when the text is not such a rate
   */
  public static RateLimit parse(String text) {
    Matcher m = SYNTAX.matcher(text.trim());
    if (!m.matches() || Integer.parseInt(m.group(1)) <= 0) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a rate like 1/s, 60/m or 100/h with a positive count");
    }
    Duration per =
        switch (m.group(2)) {
          case "s" -> Duration.ofSeconds(1);
          case "m" -> Duration.ofMinutes(1);
          default -> Duration.ofHours(1);
        };
    return new RateLimit(Integer.parseInt(m.group(1)), per);
  }

  @Override
  public String toString() {
    String unit =
        per.equals(Duration.ofSeconds(1)) ? "s" : per.equals(Duration.ofMinutes(1)) ? "m" : "h";
    return count + "/" + unit;
  }
}
