package io.alerthistory.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and migrates the schema with Flyway: {@code db/migration/common} holds the scripts whose
 * SQL both databases accept, {@code db/migration/sqlite} and {@code db/migration/postgresql} the
 * rest, under the same version numbers.
 */
final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  /** The newest migration's version; raise it with each new script. */
  static final int LATEST = 3;

  private Migrations() {}

  static void apply(DataSource dataSource, Dialect dialect) {
    String database = dialect.name().toLowerCase(Locale.ROOT);
    // a restart on a current schema skips Flyway's start-up (about 0.4 s of the time to ready)
    if (appliedVersion(dataSource) >= LATEST) {
      log.atInfo()
          .addKeyValue("database", database)
          .addKeyValue("applied", 0)
          .addKeyValue("schema_version", LATEST)
          .log("database schema up to date");
      return;
    }
    // replicas starting together take turns: Flyway locks the schema history while it migrates
    MigrateResult result =
        Flyway.configure()
            .dataSource(dataSource)
            .locations(dialect.migrations.toArray(String[]::new))
            .load()
            .migrate();
    log.atInfo()
        .addKeyValue("database", database)
        .addKeyValue("applied", result.migrationsExecuted)
        .addKeyValue("schema_version", result.targetSchemaVersion)
        .log("database schema up to date");
  }

  /** The highest version Flyway applied successfully, or 0 when it never ran. */
  static int appliedVersion(DataSource dataSource) {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT max(CAST(version AS INTEGER)) FROM flyway_schema_history"
                    + " WHERE success AND version IS NOT NULL")) {
      return rs.next() ? rs.getInt(1) : 0;
    } catch (SQLException e) {
      return 0; // no history table yet
    }
  }
}
