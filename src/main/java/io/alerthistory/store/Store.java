package io.alerthistory.store;

import io.alerthistory.delivery.DeadLetterStore;
import io.alerthistory.delivery.Delivery;
import io.alerthistory.delivery.Journal;
import io.alerthistory.stats.StatsSnapshot;
import io.alerthistory.time.Scheduler;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The durable parts of the service (DESIGN §12): the journal of accepted deliveries, dead letters,
 * delivery history, Rootly incident ids and the stats rings. {@link JdbcStore} keeps them in SQLite
 * under DATA_DIR or in PostgreSQL shared by several replicas.
 */
public interface Store extends AutoCloseable {
  Journal journal();

  DeadLetterStore deadLetters();

  IncidentStore incidents();

  /**
   * Waits until the database is ready for use (its schema created or migrated).
   *
   * @throws io.alerthistory.config.ConfigException naming the setting of a database that cannot be
   *     prepared
   */
  void awaitOpen();

  /** Why the database cannot be used right now, or empty when it answers. */
  Optional<String> unavailable();

  /**
   * Keeps this replica's claims on its deliveries alive and hands {@code takeOver} the deliveries
   * of replicas that stopped renewing theirs. Does nothing when one process owns the store.
   */
  void startLeases(Scheduler scheduler, Consumer<List<Delivery>> takeOver);

  /** The stats rings this replica saved last, if any. */
  Optional<StatsSnapshot> stats();

  /** Replaces this replica's saved stats rings; completes once durable. */
  CompletableFuture<Void> saveStats(StatsSnapshot snapshot);

  /** Removes delivery attempts made before {@code cutoff} (HISTORY_RETENTION). */
  CompletableFuture<Integer> purgeAttemptsBefore(Instant cutoff);

  /** Writes what is queued and releases the database. */
  @Override
  void close();
}
