package io.alerthistory.delivery;

import io.alerthistory.target.RateLimit;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket for one target's {@code rate_limit}, plus a pause a target asked for with {@code
 * Retry-After}. The bucket holds one second's worth of the rate (at least one token), so {@code
 * 60/m} means a steady one a second, not bursts of sixty. Not thread-safe: its lane guards it.
 */
final class RatePacer {
  private final RateLimit limit;
  private final double tokensPerNano;
  private final double burst;
  private double tokens;
  private Instant refilledAt;
  private Instant pausedUntil = Instant.MIN;

  /**
   * @param limit the pace, or null for unlimited (only {@code Retry-After} pauses apply)
   */
  RatePacer(RateLimit limit, Instant now) {
    this.limit = limit;
    if (limit == null) {
      tokensPerNano = 0;
      burst = 0;
    } else {
      tokensPerNano = limit.count() / (double) limit.per().toNanos();
      burst = Math.max(1, Math.min(limit.count(), tokensPerNano * 1e9));
    }
    tokens = burst;
    refilledAt = now;
  }

  RateLimit limit() {
    return limit;
  }

  /** A pacer with another limit that keeps this one's pause. */
  RatePacer withLimit(RateLimit next, Instant now) {
    RatePacer p = new RatePacer(next, now);
    p.pausedUntil = pausedUntil;
    return p;
  }

  /** How long to wait before the next request may go; zero when it may go now. */
  Duration waitTime(Instant now) {
    if (now.isBefore(pausedUntil)) {
      return Duration.between(now, pausedUntil);
    }
    if (limit == null) {
      return Duration.ZERO;
    }
    refill(now);
    if (tokens >= 1) {
      return Duration.ZERO;
    }
    return Duration.ofNanos((long) Math.ceil((1 - tokens) / tokensPerNano));
  }

  /** Takes a token; call only when {@link #waitTime} is zero. */
  void take(Instant now) {
    if (limit != null) {
      refill(now);
      tokens -= 1;
    }
  }

  /** Sends nothing before {@code until}; an earlier pause never shortens a later one. */
  void pauseUntil(Instant until) {
    if (until.isAfter(pausedUntil)) {
      pausedUntil = until;
    }
  }

  private void refill(Instant now) {
    long elapsed = Duration.between(refilledAt, now).toNanos();
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * tokensPerNano);
      refilledAt = now;
    }
  }
}
