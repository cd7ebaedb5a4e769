package io.alerthistory.store;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** An {@link IncidentStore} that forgets everything on restart; SQLite's keeps it in front. */
public final class InMemoryIncidentStore implements IncidentStore {
  private record Key(String target, String fingerprint) {}

  private final ConcurrentMap<Key, String> ids = new ConcurrentHashMap<>();

  @Override
  public Optional<String> incidentId(String target, String fingerprint) {
    return Optional.ofNullable(ids.get(new Key(target, fingerprint)));
  }

  @Override
  public void put(String target, String fingerprint, String incidentId) {
    ids.put(new Key(target, fingerprint), incidentId);
  }

  @Override
  public void remove(String target, String fingerprint) {
    ids.remove(new Key(target, fingerprint));
  }

  public int size() {
    return ids.size();
  }
}
