package io.alerthistory.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code db/migration/V<n>__<name>.sql} in order, each once, recording the version in
 * {@code PRAGMA user_version}. Flyway would need a SQLite database module this build does not
 * carry; SQLite's own version slot is enough for one embedded database.
 */
final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  /** Every migration, oldest first; version n is element n-1. */
  static final List<String> ALL = List.of("V1__initial.sql", "V2__stats.sql", "V3__attempts.sql");

  private Migrations() {}

  static void apply(Connection c) throws SQLException {
    int current;
    try (Statement s = c.createStatement();
        var rs = s.executeQuery("PRAGMA user_version")) {
      current = rs.next() ? rs.getInt(1) : 0;
    }
    for (int v = current + 1; v <= ALL.size(); v++) {
      String name = ALL.get(v - 1);
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        for (String sql : read(name).split(";")) {
          if (!sql.replaceAll("(?m)^\\s*--.*$", "").isBlank()) {
            s.execute(sql);
          }
        }
        s.execute("PRAGMA user_version = " + v);
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
      log.atInfo().addKeyValue("migration", name).log("database migrated");
    }
  }

  private static String read(String name) {
    try (InputStream in = Migrations.class.getResourceAsStream("/db/migration/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing migration " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
