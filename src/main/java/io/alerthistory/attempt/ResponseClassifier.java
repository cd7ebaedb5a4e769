package io.alerthistory.attempt;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Maps an HTTP answer to an outcome: 2xx delivered; 408, 429 and 5xx transient; any other 4xx
 * permanent.
 */
public final class ResponseClassifier {
  private ResponseClassifier() {}

  public static AttemptOutcome classify(
      int status, String retryAfterHeader, String detail, Clock clock) {
    if (status >= 200 && status < 300) {
      return new AttemptOutcome.Delivered(status);
    }
    if (status == 429) {
      return new AttemptOutcome.Retry(
          FailureReason.RATE_LIMITED, status, retryAfter(retryAfterHeader, clock), detail);
    }
    if (status == 408) {
      return new AttemptOutcome.Retry(FailureReason.TIMEOUT, status, null, detail);
    }
    if (status >= 500) {
      return new AttemptOutcome.Retry(
          FailureReason.SERVER_ERROR, status, retryAfter(retryAfterHeader, clock), detail);
    }
    FailureReason reason =
        status == 401 || status == 403 ? FailureReason.AUTH_ERROR : FailureReason.CLIENT_ERROR;
    return new AttemptOutcome.DeadLetter(reason, status, detail);
  }

  /** Parses {@code Retry-After} as seconds or an HTTP date; null when absent or unreadable. */
  public static Duration retryAfter(String header, Clock clock) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String h = header.trim();
    try {
      long seconds = Long.parseLong(h);
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(clock.instant(), at.toInstant());
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException ignored) {
        return null;
      }
    }
  }
}
