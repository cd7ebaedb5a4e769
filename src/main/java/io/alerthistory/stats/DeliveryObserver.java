package io.alerthistory.stats;

import io.alerthistory.attempt.FailureReason;
import java.util.List;

/**
 * What the delivery engine reports about each target as it works. Implementations are called on the
 * delivery path: they must not block and should not allocate.
 */
public interface DeliveryObserver {

  /** One request was sent to the target and answered (or failed) after {@code latencyNanos}. */
  void attempt(String target, long latencyNanos);

  /** A delivery finished successfully, {@code receiveToDoneNanos} after it was accepted. */
  void delivered(String target, long receiveToDoneNanos);

  /** One attempt failed for {@code reason}; it may be retried. */
  void failed(String target, FailureReason reason);

  /** A delivery was parked in the dead-letter queue. */
  void deadLettered(String target);

  /** The target answered 429, or the pacer held a delivery back. */
  void rateLimited(String target);

  /** The target's queue holds {@code depth} deliveries now. */
  void queueDepth(String target, int depth);

  DeliveryObserver NONE = of();

  /** Reports to each of {@code observers} in turn. */
  static DeliveryObserver of(DeliveryObserver... observers) {
    List<DeliveryObserver> all = List.of(observers);
    return new DeliveryObserver() {
      @Override
      public void attempt(String target, long latencyNanos) {
        for (DeliveryObserver o : all) {
          o.attempt(target, latencyNanos);
        }
      }

      @Override
      public void delivered(String target, long receiveToDoneNanos) {
        for (DeliveryObserver o : all) {
          o.delivered(target, receiveToDoneNanos);
        }
      }

      @Override
      public void failed(String target, FailureReason reason) {
        for (DeliveryObserver o : all) {
          o.failed(target, reason);
        }
      }

      @Override
      public void deadLettered(String target) {
        for (DeliveryObserver o : all) {
          o.deadLettered(target);
        }
      }

      @Override
      public void rateLimited(String target) {
        for (DeliveryObserver o : all) {
          o.rateLimited(target);
        }
      }

      @Override
      public void queueDepth(String target, int depth) {
        for (DeliveryObserver o : all) {
          o.queueDepth(target, depth);
        }
      }
    };
  }
}
