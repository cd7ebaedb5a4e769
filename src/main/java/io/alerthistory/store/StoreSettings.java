package io.alerthistory.store;

import java.time.Clock;
import java.time.Duration;

/**
 * @param deadLetterCapacity dead letters kept before the oldest is evicted
 * @param lease how long a replica's claim on a delivery lasts without renewal (PostgreSQL)
 * @param replica this replica's name (the host name); its stats rings are saved under it
 * @param clock the time leases are measured in
 */
public record StoreSettings(int deadLetterCapacity, Duration lease, String replica, Clock clock) {
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
}
