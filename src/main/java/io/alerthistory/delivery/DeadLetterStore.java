package io.alerthistory.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where dead letters are kept. The in-memory store is the first; a durable one comes with the
 * journal (DESIGN §12).
 */
public interface DeadLetterStore {

  /**
   * Which letters a listing, replay or purge concerns; null fields match everything.
   *
   * @param since only letters dead-lettered at or after this instant
   */
  record Filter(String target, DeadLetterReason reason, Instant since) {
    public static final Filter ALL = new Filter(null, null, null);

    public boolean matches(DeadLetter d) {
      return (target == null || target.equals(d.target()))
          && (reason == null || reason == d.reason())
          && (since == null || !d.deadLetteredAt().isBefore(since));
    }
  }

  /**
   * One page of a listing, newest first.
   *
   * @param cursor the {@code next_cursor} of the previous page, or null for the first
   * @param offset matching letters to skip before the page (with no cursor)
   */
  record Query(Filter filter, String cursor, int offset, int limit) {}

  /**
   * @param nextCursor where the next page starts, or null when this one is the last
   */
  record Page(List<DeadLetter> letters, String nextCursor) {}

  /** The cursor of a page whose last letter has sequence number {@code seq}. */
  static String cursor(long seq) {
    return Long.toString(seq, 36);
  }

  /**
   * The sequence number a cursor names.
   *
   * @throws IllegalArgumentException when it is not a cursor {@link #cursor} made
   */
  static long parseCursor(String cursor) {
    try {
      long seq = Long.parseLong(cursor, 36);
      if (seq > 0) {
        return seq;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("is not a cursor this service issued");
  }

  /**
   * Keeps a letter.
   *
   * @return the letter evicted to make room, if the store is bounded and was full
   */
  Optional<DeadLetter> add(DeadLetter letter);

  Optional<DeadLetter> get(String id);

  /**
   * Lists letters newest first.
   *
   * @throws IllegalArgumentException when the cursor was not issued by this store
   */
  Page list(Query query);

  /** The oldest letters matching the filter, oldest first, at most {@code limit}. */
  List<DeadLetter> oldest(Filter filter, int limit);

  /** Removes a letter; false when it was not there (already replayed or purged). */
  boolean remove(String id);

  /** Removes every letter dead-lettered before {@code cutoff}, returning them. */
  List<DeadLetter> removeOlderThan(Instant cutoff);

  int size();
}
