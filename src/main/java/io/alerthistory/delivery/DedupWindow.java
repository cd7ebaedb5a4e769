package io.alerthistory.delivery;

import io.alerthistory.alert.Alert;
import io.alerthistory.alert.AlertStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Remembers which (target, fingerprint, status, startsAt) were queued in the last {@code window},
 * so the second copy an HA Alertmanager pair sends is not delivered again. The window runs from the
 * first sighting. Memory is bounded by expiry on the injected clock and by {@code maxEntries} (past
 * it the oldest entries are forgotten early: a duplicate may then go out, an alert is never lost).
 * Not thread-safe: the engine calls it under its intake lock.
 */
final class DedupWindow {
  record Key(String target, String fingerprint, AlertStatus status, Instant startsAt) {
    static Key of(String target, Alert a) {
      return new Key(target, a.fingerprint(), a.status(), a.startsAtInstant());
    }
  }

  private record Entry(Key key, Instant expiresAt) {}

  private final Duration window;
  private final int maxEntries;
  private final Map<Key, Instant> expiries = new HashMap<>();
  private final ArrayDeque<Entry> order = new ArrayDeque<>();

  DedupWindow(Duration window, int maxEntries) {
    this.window = window;
    this.maxEntries = maxEntries;
  }

  boolean enabled() {
    return !window.isZero();
  }

  /** Whether the key was recorded less than the window ago. */
  boolean seen(Key key, Instant now) {
    Instant expires = expiries.get(key);
    return expires != null && now.isBefore(expires);
  }

  void record(Key key, Instant now) {
    Instant expires = now.plus(window);
    expiries.put(key, expires);
    order.addLast(new Entry(key, expires));
    while (expiries.size() > maxEntries) {
      forgetOldest();
    }
  }

  /** Forgets a key recorded for a notification that was refused after all. */
  void forget(Key key) {
    expiries.remove(key);
  }

  /** Forgets entries whose window has passed. */
  void expire(Instant now) {
    while (!order.isEmpty() && !now.isBefore(order.peekFirst().expiresAt())) {
      forgetOldest();
    }
  }

  private void forgetOldest() {
    Entry e = order.pollFirst();
    // a key recorded again later has a newer entry further back; keep its expiry
    expiries.remove(e.key(), e.expiresAt());
  }

  int size() {
    return expiries.size();
  }
}
