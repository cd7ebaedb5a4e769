package io.alerthistory.delivery;

import io.alerthistory.target.Target;
import io.alerthistory.time.Scheduler;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * What every lane shares with the engine.
 *
 * @param workers runs attempts, one (virtual) thread each
 * @param finished told after each delivery is delivered or dead-lettered
 * @param drained told when a retired lane has finished its last delivery
 * @param fallbacks takes a delivery a lane gives up on, for its target's fallback
 */
record LaneServices(
    Clock clock,
    Scheduler scheduler,
    Executor workers,
    DeliverySettings settings,
    Backoff backoff,
    AttemptRunner runner,
    Outcomes outcomes,
    Runnable finished,
    Consumer<DeliveryLane> drained,
    Fallbacks fallbacks) {

  /** Hands deliveries a target gave up on to the target named in its {@code fallback}. */
  @FunctionalInterface
  interface Fallbacks {
    /**
     * @return whether the fallback took the delivery; if not, the caller parks it
     */
    boolean handOver(Target from, Job job, DeadLetterReason reason);
  }
}
