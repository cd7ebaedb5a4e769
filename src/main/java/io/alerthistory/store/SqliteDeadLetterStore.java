package io.alerthistory.store;

import io.alerthistory.delivery.DeadLetter;
import io.alerthistory.delivery.DeadLetterReason;
import io.alerthistory.delivery.DeadLetterStore;
import io.alerthistory.delivery.Delivery;
import io.alerthistory.delivery.FailureReason;
import io.alerthistory.delivery.InMemoryDeadLetterStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Dead letters kept in memory for listing and paging (the queue is bounded) and written through to
 * SQLite, from which they are loaded at start.
 */
final class SqliteDeadLetterStore implements DeadLetterStore {
  private final SqliteStore store;
  private final InMemoryDeadLetterStore memory;

  SqliteDeadLetterStore(SqliteStore store, int capacity) throws SQLException {
    this.store = store;
    this.memory = new InMemoryDeadLetterStore(capacity);
    store.now(
        s -> {
          PreparedStatement q =
              s.statement("SELECT * FROM dead_letter ORDER BY dead_lettered_at, rowid");
          try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
              memory.add(read(rs)).ifPresent(evicted -> delete(evicted.id()));
            }
          }
          return null;
        });
  }

  private static DeadLetter read(ResultSet rs) throws SQLException {
    Delivery d =
        SqliteStore.delivery(
            rs.getString("delivery_id"),
            rs.getString("target"),
            SqliteStore.notification(rs.getString("notification")),
            rs.getString("fingerprints"),
            rs.getString("received_at"));
    String failure = rs.getString("last_failure");
    String lastAttempt = rs.getString("last_attempt_at");
    return new DeadLetter(
        rs.getString("id"),
        d,
        DeadLetterReason.fromWire(rs.getString("reason")),
        failure == null ? null : FailureReason.valueOf(failure),
        rs.getInt("last_status"),
        rs.getString("last_error"),
        rs.getString("response_excerpt"),
        rs.getInt("attempts"),
        lastAttempt == null ? null : Instant.parse(lastAttempt),
        Instant.parse(rs.getString("dead_lettered_at")));
  }

  @Override
  public Optional<DeadLetter> add(DeadLetter letter) {
    Optional<DeadLetter> evicted = memory.add(letter);
    store.submit(
        "dead_letter_add",
        s -> {
          PreparedStatement ps =
              s.statement(
                  "INSERT OR REPLACE INTO dead_letter (id, delivery_id, target, notification,"
                      + " fingerprints, received_at, reason, last_failure, last_status,"
                      + " last_error, response_excerpt, attempts, last_attempt_at,"
                      + " dead_lettered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
          Delivery d = letter.delivery();
          ps.setString(1, letter.id());
          ps.setString(2, d.id());
          ps.setString(3, d.target());
          ps.setString(4, SqliteStore.json(d.notification()));
          ps.setString(5, SqliteStore.json(d.fingerprints()));
          ps.setString(6, d.receivedAt().toString());
          ps.setString(7, letter.reason().wireName());
          ps.setString(8, letter.lastFailure() == null ? null : letter.lastFailure().name());
          ps.setInt(9, letter.lastStatus());
          ps.setString(10, letter.lastError());
          ps.setString(11, letter.responseExcerpt());
          ps.setInt(12, letter.attempts());
          ps.setString(
              13, letter.lastAttemptAt() == null ? null : letter.lastAttemptAt().toString());
          ps.setString(14, letter.deadLetteredAt().toString());
          ps.executeUpdate();
          return null;
        });
    evicted.ifPresent(e -> store.submit("dead_letter_remove", s -> delete(s, e.id())));
    return evicted;
  }

  private void delete(String id) {
    try {
      delete(store, id);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Void delete(SqliteStore s, String id) throws SQLException {
    PreparedStatement ps = s.statement("DELETE FROM dead_letter WHERE id = ?");
    ps.setString(1, id);
    ps.executeUpdate();
    return null;
  }

  @Override
  public Optional<DeadLetter> get(String id) {
    return memory.get(id);
  }

  @Override
  public Page list(Query query) {
    return memory.list(query);
  }

  @Override
  public List<DeadLetter> oldest(Filter filter, int limit) {
    return memory.oldest(filter, limit);
  }

  @Override
  public boolean remove(String id) {
    boolean removed = memory.remove(id);
    if (removed) {
      store.submit("dead_letter_remove", s -> delete(s, id));
    }
    return removed;
  }

  @Override
  public List<DeadLetter> removeOlderThan(Instant cutoff) {
    List<DeadLetter> removed = memory.removeOlderThan(cutoff);
    if (!removed.isEmpty()) {
      store.submit(
          "dead_letter_remove",
          s -> {
            for (DeadLetter d : removed) {
              delete(s, d.id());
            }
            return null;
          });
    }
    return removed;
  }

  @Override
  public int size() {
    return memory.size();
  }
}
