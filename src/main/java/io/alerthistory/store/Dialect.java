package io.alerthistory.store;

import java.util.List;

/** What differs between the two databases the store runs on. */
enum Dialect {
  /** One process on a local file: it owns every journal row, and nothing is claimed. */
  SQLITE(
      List.of("classpath:db/migration/common", "classpath:db/migration/sqlite"),
      false,
      """
      UPDATE journal SET owner = ?, lease_until = ? WHERE lease_until < ?
      RETURNING id, notification_id, target, fingerprints, received_at
      """),

  /**
   * Several replicas on one database: each claims rows whose lease ran out, skipping rows another
   * replica is claiming at the same moment.
   */
  POSTGRESQL(
      List.of("classpath:db/migration/common", "classpath:db/migration/postgresql"),
      true,
      """
      UPDATE journal SET owner = ?, lease_until = ?
      WHERE id IN (SELECT id FROM journal WHERE lease_until < ? ORDER BY received_at LIMIT 1000
                   FOR UPDATE SKIP LOCKED)
      RETURNING id, notification_id, target, fingerprints, received_at
      """);

  /** Flyway locations, the common scripts first. */
  final List<String> migrations;

  /** Whether other replicas may write the same journal, so leases are kept and taken over. */
  final boolean shared;

  /**
   * Claims unowned rows: parameters are the new owner, its lease end and the current time (epoch
   * milliseconds); returns the claimed rows.
   */
  final String claimSql;

  Dialect(List<String> migrations, boolean shared, String claimSql) {
    this.migrations = migrations;
    this.shared = shared;
    this.claimSql = claimSql;
  }
}
