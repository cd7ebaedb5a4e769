package io.alerthistory.stats;

import io.alerthistory.health.HealthStatus;
import io.alerthistory.target.TargetType;

/** Which rows to report; a null field matches everything. */
public record StatsFilter(TargetType type, HealthStatus status) {
  public static final StatsFilter ALL = new StatsFilter(null, null);
}
