package io.alerthistory.delivery;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attempts made for each alert, in memory and bounded: the last {@code perFingerprint} attempts
 * of the {@code fingerprints} most recently attempted alerts. One record of a grouped delivery is
 * shared by all its alerts.
 */
final class DeliveryHistory {
  private final int maxFingerprints;
  private final int perFingerprint;
  private final LinkedHashMap<String, ArrayDeque<AttemptRecord>> byFingerprint;

  DeliveryHistory(int maxFingerprints, int perFingerprint) {
    this.maxFingerprints = maxFingerprints;
    this.perFingerprint = perFingerprint;
    this.byFingerprint = new LinkedHashMap<>(1024, 0.75f, true);
  }

  synchronized void record(List<String> fingerprints, AttemptRecord attempt) {
    for (String fp : fingerprints) {
      ArrayDeque<AttemptRecord> q = byFingerprint.computeIfAbsent(fp, k -> new ArrayDeque<>());
      if (q.size() == perFingerprint) {
        q.pollFirst();
      }
      q.addLast(attempt);
    }
    Iterator<Map.Entry<String, ArrayDeque<AttemptRecord>>> eldest =
        byFingerprint.entrySet().iterator();
    while (byFingerprint.size() > maxFingerprints) {
      eldest.next();
      eldest.remove();
    }
  }

  /** The attempts for an alert, oldest first; empty when none are known. */
  synchronized List<AttemptRecord> of(String fingerprint) {
    ArrayDeque<AttemptRecord> q = byFingerprint.get(fingerprint);
    return q == null ? List.of() : List.copyOf(q);
  }
}
