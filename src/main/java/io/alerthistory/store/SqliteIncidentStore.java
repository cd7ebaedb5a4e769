package io.alerthistory.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Incident ids read from memory and written through to SQLite, from which they load at start. */
final class SqliteIncidentStore implements IncidentStore {
  private final SqliteStore store;
  private final InMemoryIncidentStore ids = new InMemoryIncidentStore();

  SqliteIncidentStore(SqliteStore store) throws SQLException {
    this.store = store;
    store.now(
        s -> {
          try (ResultSet rs =
              s.statement("SELECT target, fingerprint, incident_id FROM incident").executeQuery()) {
            while (rs.next()) {
              ids.put(rs.getString(1), rs.getString(2), rs.getString(3));
            }
          }
          return null;
        });
  }

  @Override
  public Optional<String> incidentId(String target, String fingerprint) {
    return ids.incidentId(target, fingerprint);
  }

  @Override
  public void put(String target, String fingerprint, String incidentId) {
    ids.put(target, fingerprint, incidentId);
    store.submit(
        "incident_put",
        s -> {
          PreparedStatement ps =
              s.statement(
                  "INSERT OR REPLACE INTO incident (target, fingerprint, incident_id)"
                      + " VALUES (?, ?, ?)");
          ps.setString(1, target);
          ps.setString(2, fingerprint);
          ps.setString(3, incidentId);
          return ps.executeUpdate();
        });
  }

  @Override
  public void remove(String target, String fingerprint) {
    if (ids.incidentId(target, fingerprint).isPresent()) {
      ids.remove(target, fingerprint);
      store.submit(
          "incident_remove",
          s -> {
            PreparedStatement ps =
                s.statement("DELETE FROM incident WHERE target = ? AND fingerprint = ?");
            ps.setString(1, target);
            ps.setString(2, fingerprint);
            return ps.executeUpdate();
          });
    }
  }
}
