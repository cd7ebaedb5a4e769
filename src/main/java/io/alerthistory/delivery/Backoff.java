package io.alerthistory.delivery;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: before attempt {@code n+1} wait between half and all of {@code
 * base * 2^(n-1)}, capped at {@code max}. A target's {@code Retry-After} wins when it is longer.
 */
public record Backoff(Duration base, Duration max, RandomGenerator random) {

  public Duration delay(int failedAttempts, Duration retryAfter) {
    long cap = max.toMillis();
    long ceiling = Math.min(cap, base.toMillis() << Math.min(failedAttempts - 1, 20));
    Duration jittered = Duration.ofMillis(ceiling / 2 + random.nextLong(ceiling / 2 + 1));
    return retryAfter != null && retryAfter.compareTo(jittered) > 0 ? retryAfter : jittered;
  }
}
