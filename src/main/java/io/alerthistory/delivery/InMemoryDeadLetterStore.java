package io.alerthistory.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Dead letters in memory, bounded: past {@code capacity} the oldest is evicted. Lost on restart.
 * Cursors are the sequence number of the last letter of a page, so pages stay stable while new
 * letters arrive.
 */
public final class InMemoryDeadLetterStore implements DeadLetterStore {
  private final int capacity;
  private final TreeMap<Long, DeadLetter> bySeq = new TreeMap<>();
  private final Map<String, Long> seqById = new HashMap<>();
  private long nextSeq;

  public InMemoryDeadLetterStore(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
  }

  @Override
  public synchronized Optional<DeadLetter> add(DeadLetter letter) {
    long seq = ++nextSeq;
    bySeq.put(seq, letter);
    seqById.put(letter.id(), seq);
    if (bySeq.size() <= capacity) {
      return Optional.empty();
    }
    DeadLetter evicted = bySeq.pollFirstEntry().getValue();
    seqById.remove(evicted.id());
    return Optional.of(evicted);
  }

  @Override
  public synchronized Optional<DeadLetter> get(String id) {
    Long seq = seqById.get(id);
    return seq == null ? Optional.empty() : Optional.of(bySeq.get(seq));
  }

  @Override
  public synchronized Page list(Query q) {
    NavigableMap<Long, DeadLetter> view = bySeq.descendingMap();
    if (q.cursor() != null) {
      view = view.tailMap(DeadLetterStore.parseCursor(q.cursor()), false);
    }
    List<DeadLetter> out = new ArrayList<>(Math.min(q.limit(), 1024));
    int skip = q.cursor() == null ? q.offset() : 0;
    long last = 0;
    for (Map.Entry<Long, DeadLetter> e : view.entrySet()) {
      if (!q.filter().matches(e.getValue())) {
        continue;
      }
      if (skip > 0) {
        skip--;
        continue;
      }
      if (out.size() == q.limit()) {
        return new Page(out, DeadLetterStore.cursor(last));
      }
      out.add(e.getValue());
      last = e.getKey();
    }
    return new Page(out, null);
  }

  @Override
  public synchronized List<DeadLetter> oldest(Filter filter, int limit) {
    List<DeadLetter> out = new ArrayList<>();
    for (DeadLetter d : bySeq.values()) {
      if (out.size() == limit) {
        break;
      }
      if (filter.matches(d)) {
        out.add(d);
      }
    }
    return out;
  }

  @Override
  public synchronized boolean remove(String id) {
    Long seq = seqById.remove(id);
    return seq != null && bySeq.remove(seq) != null;
  }

  @Override
  public synchronized List<DeadLetter> removeOlderThan(Instant cutoff) {
    List<DeadLetter> removed = new ArrayList<>();
    for (Iterator<DeadLetter> it = bySeq.values().iterator(); it.hasNext(); ) {
      DeadLetter d = it.next();
      if (d.deadLetteredAt().isBefore(cutoff)) {
        it.remove();
        seqById.remove(d.id());
        removed.add(d);
      }
    }
    return removed;
  }

  @Override
  public synchronized int size() {
    return bySeq.size();
  }
}
