package io.alerthistory.store;

import java.util.List;

/** What differs between the two databases the store runs on. */
enum Dialect {
  /** One process on a local file: it owns every journal row, and reads them all at start. */
  SQLITE(
      List.of("classpath:db/migration/common", "classpath:db/migration/sqlite"),
      false,
      "SELECT id, notification_id, target, fingerprints, received_at, NULL FROM journal",
      // NOT IN: SQLite builds one temporary index for the subquery
      "DELETE FROM notification WHERE id NOT IN (SELECT notification_id FROM journal)"),

  /**
   * Several replicas on one database: each claims rows whose owner's lease ran out, skipping rows
   * another replica is claiming at the same moment. The expired leases are few, and the rows are
   * found through the owner index, so a claim costs what it takes, not the journal's size.
   */
  POSTGRESQL(
      List.of("classpath:db/migration/common", "classpath:db/migration/postgresql"),
      true,
      """
      WITH claimed AS (
        UPDATE journal SET owner = ?
        WHERE id IN (SELECT j.id FROM replica_lease r JOIN journal j ON j.owner = r.owner
                     WHERE r.lease_until < ? LIMIT %d FOR UPDATE OF j SKIP LOCKED)
        RETURNING id, notification_id, target, fingerprints, received_at)
      SELECT c.id, c.notification_id, c.target, c.fingerprints, c.received_at, n.body
      FROM claimed c JOIN notification n ON n.id = c.notification_id
      """
          .formatted(Dialect.CLAIM_BATCH),
      // NOT EXISTS: an anti-join; NOT IN over a large journal would not fit work_mem
      """
      DELETE FROM notification n
      WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.notification_id = n.id)
      """);

  /** Rows one PostgreSQL claim takes at most. */
  static final int CLAIM_BATCH = 1000;

  /** Flyway locations, the common scripts first. */
  final List<String> migrations;

  /** Whether other replicas may write the same journal, so leases are kept and taken over. */
  final boolean shared;

  /**
   * Claims the rows of replicas whose lease ran out. On PostgreSQL the parameters are the new owner
   * and the current time (epoch milliseconds); SQLite takes every row and has none. Returns the
   * rows with their notification's body, or NULL for it when the body is read separately.
   */
  final String claimSql;

  /** Removes notifications no journal row refers to any more. */
  final String orphanCleanupSql;

  Dialect(List<String> migrations, boolean shared, String claimSql, String orphanCleanupSql) {
    this.migrations = migrations;
    this.shared = shared;
    this.claimSql = claimSql;
    this.orphanCleanupSql = orphanCleanupSql;
  }
}
