package io.alerthistory.health;

import io.alerthistory.target.Target;

/** Checks whether a target can be reached; blocking, bounded by its own timeout. */
@FunctionalInterface
public interface Prober {
  ProbeResult probe(Target target);
}
