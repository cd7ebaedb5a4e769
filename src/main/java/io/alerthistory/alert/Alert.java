package io.alerthistory.alert;

import java.time.Instant;
import java.util.Map;

/**
 * One alert of an Alertmanager notification.
 *
 * <p>Timestamps keep the text Alertmanager sent so a re-emitted payload is byte-for-byte faithful;
 * {@link #startsAtInstant()} gives the parsed value.
 */
public record Alert(
    AlertStatus status,
    Map<String, String> labels,
    Map<String, String> annotations,
    String startsAt,
    String endsAt,
    String generatorURL,
    String fingerprint) {

  public Alert {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }

  public String alertname() {
    return labels.get("alertname");
  }

  public String label(String name) {
    return labels.getOrDefault(name, "");
  }

  public Instant startsAtInstant() {
    return Timestamps.parse(startsAt);
  }
}
