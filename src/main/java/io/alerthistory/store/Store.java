package io.alerthistory.store;

import io.alerthistory.delivery.DeadLetterStore;
import io.alerthistory.delivery.Journal;

/**
 * The durable parts of the service (DESIGN §12): the journal of accepted deliveries, dead letters
 * and Rootly incident ids. SQLite under DATA_DIR is the one implementation; a PostgreSQL one (for
 * several replicas claiming work with SKIP LOCKED) would implement the same methods.
 */
public interface Store extends AutoCloseable {
  Journal journal();

  DeadLetterStore deadLetters();

  IncidentStore incidents();

  /** Writes what is queued and releases the database. */
  @Override
  void close();
}
