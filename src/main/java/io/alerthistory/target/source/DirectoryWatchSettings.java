package io.alerthistory.target.source;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing of the directory watcher.
 *
 * @param debounce quiet time after the last file event before the directory is re-read
 * @param settle how long a once-readable file may stay unreadable and unchanged (a half-written
 *     file) before that state is published
 * @param retryPeriod how often a lost watch is re-registered, and how often the watched directory
 *     is checked for having been replaced
 */
public record DirectoryWatchSettings(Duration debounce, Duration settle, Duration retryPeriod) {
  public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(200);
  public static final Duration DEFAULT_SETTLE = Duration.ofSeconds(1);
  public static final Duration DEFAULT_RETRY_PERIOD = Duration.ofSeconds(1);

  public DirectoryWatchSettings {
    Objects.requireNonNull(debounce, "debounce");
    Objects.requireNonNull(settle, "settle");
    Objects.requireNonNull(retryPeriod, "retryPeriod");
    if (debounce.isNegative() || settle.isNegative()) {
      throw new IllegalArgumentException("debounce and settle must not be negative");
    }
    if (retryPeriod.isNegative() || retryPeriod.isZero()) {
      throw new IllegalArgumentException("retryPeriod must be positive");
    }
  }

  public static DirectoryWatchSettings defaults() {
    return new DirectoryWatchSettings(DEFAULT_DEBOUNCE, DEFAULT_SETTLE, DEFAULT_RETRY_PERIOD);
  }

  public DirectoryWatchSettings withDebounce(Duration debounce) {
    return new DirectoryWatchSettings(debounce, settle, retryPeriod);
  }

  /**
   * The longest a burst of events may postpone a re-read, so a steady stream of writes (an editor's
   * swap file, say) cannot starve it.
   */
  Duration maxBatch() {
    return debounce.multipliedBy(4);
  }
}
