package io.alerthistory.store;

import io.alerthistory.delivery.DeadLetterStore;
import io.alerthistory.delivery.Journal;
import io.alerthistory.stats.StatsSnapshot;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The durable parts of the service (DESIGN §12): the journal of accepted deliveries, dead letters,
 * Rootly incident ids and the stats rings. SQLite under DATA_DIR is the one implementation; a
 * PostgreSQL one (for several replicas claiming work with SKIP LOCKED) would implement the same
 * methods.
 */
public interface Store extends AutoCloseable {
  Journal journal();

  DeadLetterStore deadLetters();

  IncidentStore incidents();

  /** The stats rings saved last, if any. */
  Optional<StatsSnapshot> stats();

  /** Replaces the saved stats rings; completes once durable. */
  CompletableFuture<Void> saveStats(StatsSnapshot snapshot);

  /** Removes delivery attempts made before {@code cutoff} (HISTORY_RETENTION). */
  CompletableFuture<Integer> purgeAttemptsBefore(Instant cutoff);

  /** Writes what is queued and releases the database. */
  @Override
  void close();
}
