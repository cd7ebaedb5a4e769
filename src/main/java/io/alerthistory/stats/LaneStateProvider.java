package io.alerthistory.stats;

/** The delivery engine's live view of a target's lane; implemented by the engine. */
@FunctionalInterface
public interface LaneStateProvider {
  /** The lane's state now, or {@link LaneState#IDLE} when the target has no lane. */
  LaneState state(String target);

  LaneStateProvider NONE = target -> LaneState.IDLE;
}
