package io.alerthistory.health;

import java.time.Duration;

/**
 * One active check of a target.
 *
 * @param reachable whether the target answered (any HTTP status counts)
 * @param latency time to the answer, or to the failure
 * @param error why it was not reachable, scrubbed of secrets; null when reachable
 */
public record ProbeResult(boolean reachable, Duration latency, String error) {
  public static ProbeResult ok(Duration latency) {
    return new ProbeResult(true, latency, null);
  }

  public static ProbeResult failed(Duration latency, String error) {
    return new ProbeResult(false, latency, error);
  }
}
