package io.alerthistory.store;

import java.util.Optional;

/**
 * Remembers which incident a target opened for an alert, so the alert's resolution closes that
 * incident. Keys are the target name and the alert fingerprint; implementations are thread-safe.
 */
public interface IncidentStore {
  Optional<String> incidentId(String target, String fingerprint);

  void put(String target, String fingerprint, String incidentId);

  void remove(String target, String fingerprint);
}
