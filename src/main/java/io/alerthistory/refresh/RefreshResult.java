package io.alerthistory.refresh;

import java.time.Duration;
import java.time.Instant;

/** The answer to a manual refresh request. */
public sealed interface RefreshResult
    permits RefreshResult.Started, RefreshResult.AlreadyRunning, RefreshResult.RateLimited {

  /** The refresh was accepted and runs in the background (HTTP 202). */
  record Started(String requestId, Instant startedAt) implements RefreshResult {}

  /** Another refresh (manual or scheduled) is running; it started at {@code startedAt} (503). */
  record AlreadyRunning(Instant startedAt) implements RefreshResult {}

  /** A manual refresh was accepted too recently; try again after {@code retryAfter} (429). */
  record RateLimited(Duration retryAfter) implements RefreshResult {}
}
