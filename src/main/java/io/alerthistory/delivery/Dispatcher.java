package io.alerthistory.delivery;

import io.alerthistory.alert.Notification;
import java.time.Duration;

/** Turns an accepted notification into deliveries, one per matching enabled target. */
public interface Dispatcher {

  /** What became of a notification handed to the dispatcher. */
  sealed interface Result permits Queued, Overloaded {}

  /** Every delivery is queued; {@code deliveries} may be 0 when no target matches. */
  record Queued(int deliveries) implements Result {}

  /** Nothing was queued: the caller should try again after {@code retryAfter}. */
  record Overloaded(Duration retryAfter, String reason) implements Result {}

  Result dispatch(Notification notification);

  /**
   * Stops taking work and waits up to {@code timeout} for deliveries in flight; those still running
   * then are abandoned, logged and counted.
   */
  void shutdown(Duration timeout);
}
