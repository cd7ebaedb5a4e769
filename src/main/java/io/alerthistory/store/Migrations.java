package io.alerthistory.store;

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

  private Migrations() {}

  static void apply(DataSource dataSource, Dialect dialect) {
    MigrateResult result =
        Flyway.configure()
            .dataSource(dataSource)
            .locations(dialect.migrations.toArray(String[]::new))
            // replicas starting together: PostgreSQL's advisory lock lets one migrate at a time
            .load()
            .migrate();
    log.atInfo()
        .addKeyValue("database", dialect.name().toLowerCase(java.util.Locale.ROOT))
        .addKeyValue("applied", result.migrationsExecuted)
        .addKeyValue("schema_version", result.targetSchemaVersion)
        .log("database schema up to date");
  }
}
