package io.alerthistory.stats;

import io.alerthistory.attempt.FailureReason;
import io.alerthistory.health.HealthMonitor;

/**
 * Passes delivery outcomes to the {@link HealthMonitor}. Client errors and rate limiting show the
 * target answering, so they count as signs of life, not failures.
 */
final class HealthFeed implements DeliveryObserver {
  private final HealthMonitor monitor;

  HealthFeed(HealthMonitor monitor) {
    this.monitor = monitor;
  }

  @Override
  public void attempt(String target, long latencyNanos) {
    monitor.observedAttempt(target, latencyNanos);
  }

  @Override
  public void delivered(String target, long receiveToDoneNanos) {
    monitor.observedSuccess(target);
  }

  @Override
  public void failed(String target, FailureReason reason) {
    switch (reason) {
      case CLIENT_ERROR, RATE_LIMITED -> monitor.observedAnswer(target);
      case SERVER_ERROR, AUTH_ERROR, TIMEOUT, NETWORK ->
          monitor.observedFailure(target, "delivery failed: " + reason.label());
    }
  }

  @Override
  public void deadLettered(String target) {}

  @Override
  public void rateLimited(String target) {}

  @Override
  public void queueDepth(String target, int depth) {}
}
