package io.alerthistory.store;

import io.alerthistory.attempt.FailureReason;
import io.alerthistory.delivery.DeadLetter;
import io.alerthistory.delivery.DeadLetterReason;
import io.alerthistory.delivery.DeadLetterStore;
import io.alerthistory.delivery.Delivery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Dead letters in the database, so every replica lists, replays and purges the same ones. Bounded
 * like the in-memory store: past {@code capacity} the oldest is evicted. Cursors are the sequence
 * number of a page's last letter, so pages stay stable while new letters arrive.
 */
final class JdbcDeadLetterStore implements DeadLetterStore {
  private static final String COLUMNS =
      "seq, id, delivery_id, target, notification, fingerprints, received_at, reason,"
          + " last_failure, last_status, last_error, response_excerpt, attempts, last_attempt_at,"
          + " dead_lettered_at";

  private final Database db;
  private final int capacity;
  private volatile int lastSize;

  JdbcDeadLetterStore(Database db, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.db = db;
    this.capacity = capacity;
  }

  @Override
  public Optional<DeadLetter> add(DeadLetter letter) {
    return db.<Optional<DeadLetter>>write(
        "dead_letter_add",
        Database.OnOutage.RETRY,
        w -> {
          insert(w.statement(INSERT), letter);
          Optional<DeadLetter> evicted = Optional.empty();
          try (ResultSet rs =
              w.statement("SELECT min(seq), max(seq) FROM dead_letter").executeQuery()) {
            rs.next();
            // seq only grows, so its span bounds the count (two index lookups); only a span past
            // the capacity, with gaps left by replays and purges, needs the full count
            if (rs.getLong(2) - rs.getLong(1) + 1 <= capacity) {
              return evicted;
            }
          }
          try (ResultSet rs = w.statement("SELECT count(*) FROM dead_letter").executeQuery()) {
            rs.next();
            if (rs.getLong(1) <= capacity) {
              return evicted;
            }
          }
          try (ResultSet rs =
              w.statement("SELECT " + COLUMNS + " FROM dead_letter ORDER BY seq LIMIT 1")
                  .executeQuery()) {
            if (rs.next()) {
              evicted = Optional.of(read(rs));
            }
          }
          evicted.ifPresent(e -> delete(w, e.id()));
          return evicted;
        });
  }

  private static final String INSERT =
      "INSERT INTO dead_letter (id, delivery_id, target, notification, fingerprints, received_at,"
          + " reason, last_failure, last_status, last_error, response_excerpt, attempts,"
          + " last_attempt_at, dead_lettered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (id) DO NOTHING";

  private static void insert(PreparedStatement ps, DeadLetter letter) throws SQLException {
    Delivery d = letter.delivery();
    ps.setString(1, letter.id());
    ps.setString(2, d.id());
    ps.setString(3, d.target());
    ps.setString(4, Rows.json(d.notification()));
    ps.setString(5, Rows.json(d.fingerprints()));
    ps.setString(6, Times.format(d.receivedAt()));
    ps.setString(7, letter.reason().wireName());
    ps.setString(8, letter.lastFailure() == null ? null : letter.lastFailure().name());
    ps.setInt(9, letter.lastStatus());
    ps.setString(10, letter.lastError());
    ps.setString(11, letter.responseExcerpt());
    ps.setInt(12, letter.attempts());
    ps.setString(13, Times.formatOrNull(letter.lastAttemptAt()));
    ps.setString(14, Times.format(letter.deadLetteredAt()));
    ps.executeUpdate();
  }

  private static DeadLetter read(ResultSet rs) throws SQLException {
    Delivery d =
        Rows.delivery(
            rs.getString("delivery_id"),
            rs.getString("target"),
            Rows.notification(rs.getString("notification")),
            rs.getString("fingerprints"),
            rs.getString("received_at"));
    String failure = rs.getString("last_failure");
    return new DeadLetter(
        rs.getString("id"),
        d,
        DeadLetterReason.fromWire(rs.getString("reason")),
        failure == null ? null : FailureReason.valueOf(failure),
        rs.getInt("last_status"),
        rs.getString("last_error"),
        rs.getString("response_excerpt"),
        rs.getInt("attempts"),
        Times.parseOrNull(rs.getString("last_attempt_at")),
        Times.parse(rs.getString("dead_lettered_at")));
  }

  private static boolean delete(Database.Writer w, String id) {
    try {
      PreparedStatement ps = w.statement("DELETE FROM dead_letter WHERE id = ?");
      ps.setString(1, id);
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Optional<DeadLetter> get(String id) {
    return db.read(
        "dead_letter_get",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT " + COLUMNS + " FROM dead_letter WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
          }
        });
  }

  private record Row(long seq, DeadLetter letter) {}

  private static List<DeadLetter> letters(List<Row> rows) {
    return rows.stream().map(Row::letter).toList();
  }

  /** A filter as SQL: the WHERE clause's conditions and their parameters in order. */
  private record Where(String sql, List<Object> params) {
    static Where of(Filter f) {
      StringBuilder sql = new StringBuilder("1 = 1");
      List<Object> params = new ArrayList<>();
      if (f.target() != null) {
        sql.append(" AND target = ?");
        params.add(f.target());
      }
      if (f.reason() != null) {
        sql.append(" AND reason = ?");
        params.add(f.reason().wireName());
      }
      if (f.since() != null) {
        sql.append(" AND dead_lettered_at >= ?");
        params.add(Times.format(f.since()));
      }
      return new Where(sql.toString(), params);
    }

    Where and(String condition, Object param) {
      List<Object> all = new ArrayList<>(params);
      all.add(param);
      return new Where(sql + " AND " + condition, all);
    }

    List<Row> select(Connection c, String tail, Object... more) throws SQLException {
      try (PreparedStatement ps =
          c.prepareStatement("SELECT " + COLUMNS + " FROM dead_letter WHERE " + sql + tail)) {
        int i = 1;
        for (Object p : params) {
          ps.setObject(i++, p);
        }
        for (Object p : more) {
          ps.setObject(i++, p);
        }
        List<Row> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Row(rs.getLong("seq"), read(rs)));
          }
        }
        return out;
      }
    }
  }

  @Override
  public Page list(Query q) {
    Where where = Where.of(q.filter());
    if (q.cursor() != null) {
      where = where.and("seq < ?", DeadLetterStore.parseCursor(q.cursor()));
    }
    int offset = q.cursor() == null ? q.offset() : 0;
    Where finalWhere = where;
    return db.read(
        "dead_letter_list",
        c -> {
          // one more than the page tells whether another page follows
          List<Row> rows =
              finalWhere.select(c, " ORDER BY seq DESC LIMIT ? OFFSET ?", q.limit() + 1, offset);
          if (rows.size() <= q.limit()) {
            return new Page(letters(rows), null);
          }
          List<Row> page = rows.subList(0, q.limit());
          return new Page(letters(page), DeadLetterStore.cursor(page.getLast().seq()));
        });
  }

  @Override
  public List<DeadLetter> oldest(Filter filter, int limit) {
    return db.read(
        "dead_letter_list",
        c -> letters(Where.of(filter).select(c, " ORDER BY seq LIMIT ?", limit)));
  }

  @Override
  public boolean remove(String id) {
    return db.write("dead_letter_remove", Database.OnOutage.FAIL, w -> delete(w, id));
  }

  @Override
  public List<DeadLetter> removeOlderThan(Instant cutoff) {
    return db.<List<DeadLetter>>write(
        "dead_letter_remove",
        Database.OnOutage.FAIL,
        w -> {
          PreparedStatement ps =
              w.statement(
                  "DELETE FROM dead_letter WHERE dead_lettered_at < ? RETURNING " + COLUMNS);
          ps.setString(1, Times.format(cutoff));
          List<DeadLetter> removed = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              removed.add(read(rs));
            }
          }
          return removed;
        });
  }

  /**
   * The count in the database, or the last one read while it is unreachable: the gauge and the
   * shutdown log must not fail with it.
   */
  @Override
  public int size() {
    try {
      int n =
          db.read(
              "dead_letter_count",
              c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM dead_letter");
                    ResultSet rs = ps.executeQuery()) {
                  rs.next();
                  return rs.getInt(1);
                }
              });
      lastSize = n;
      return n;
    } catch (StoreUnavailableException e) {
      return lastSize;
    }
  }
}
