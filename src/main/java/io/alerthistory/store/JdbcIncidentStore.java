package io.alerthistory.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * Incident ids in the database, read on each use: with several replicas, the one that sends an
 * alert's resolution may not be the one that opened its incident.
 */
final class JdbcIncidentStore implements IncidentStore {
  private final Database db;

  JdbcIncidentStore(Database db) {
    this.db = db;
  }

  @Override
  public Optional<String> incidentId(String target, String fingerprint) {
    return db.read(
        "incident_get",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT incident_id FROM incident WHERE target = ? AND fingerprint = ?")) {
            ps.setString(1, target);
            ps.setString(2, fingerprint);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public void put(String target, String fingerprint, String incidentId) {
    db.write(
        "incident_put",
        Database.OnOutage.RETRY,
        w -> {
          PreparedStatement ps =
              w.statement(
                  "INSERT INTO incident (target, fingerprint, incident_id) VALUES (?, ?, ?)"
                      + " ON CONFLICT (target, fingerprint)"
                      + " DO UPDATE SET incident_id = excluded.incident_id");
          ps.setString(1, target);
          ps.setString(2, fingerprint);
          ps.setString(3, incidentId);
          return ps.executeUpdate();
        });
  }

  @Override
  public void remove(String target, String fingerprint) {
    db.write(
        "incident_remove",
        Database.OnOutage.RETRY,
        w -> {
          PreparedStatement ps =
              w.statement("DELETE FROM incident WHERE target = ? AND fingerprint = ?");
          ps.setString(1, target);
          ps.setString(2, fingerprint);
          return ps.executeUpdate();
        });
  }
}
