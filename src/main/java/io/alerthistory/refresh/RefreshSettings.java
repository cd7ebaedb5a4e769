package io.alerthistory.refresh;

import java.time.Duration;

/**
 * The {@code TARGET_REFRESH_*} settings (see docs/refresh.md).
 *
 * @param interval time between periodic full refreshes
 * @param warmup delay before the first periodic refresh; the start-up load is immediate
 * @param maxRetries retries of a transiently failed refresh before waiting for the next interval
 * @param baseBackoff first retry delay, doubled on each retry
 * @param maxBackoff cap of the retry delay
 * @param rateLimit minimum time between two manual refreshes
 * @param timeout bound of one refresh attempt
 */
public record RefreshSettings(
    Duration interval,
    Duration warmup,
    int maxRetries,
    Duration baseBackoff,
    Duration maxBackoff,
    Duration rateLimit,
    Duration timeout) {

  public static RefreshSettings defaults() {
    return new RefreshSettings(
        Duration.ofMinutes(5),
        Duration.ofSeconds(30),
        5,
        Duration.ofSeconds(30),
        Duration.ofMinutes(5),
        Duration.ofMinutes(1),
        Duration.ofSeconds(30));
  }
}
