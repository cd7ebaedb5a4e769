package io.alerthistory.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.alerthistory.alert.Alert;
import io.alerthistory.alert.Notification;
import io.alerthistory.delivery.Delivery;
import io.alerthistory.json.Json;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** How values are written to and read from columns, the same for both databases. */
final class Rows {
  static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private Rows() {}

  static String json(Object value) {
    try {
      return Json.MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static <T> T read(String json, TypeReference<T> type) {
    try {
      return Json.MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable stored value", e);
    }
  }

  static Notification notification(String json) {
    try {
      return Json.MAPPER.readValue(json, Notification.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable stored notification", e);
    }
  }

  /** Rebuilds a delivery: the notification's alerts with the stored fingerprints. */
  static Delivery delivery(
      String id, String target, Notification n, String fingerprints, String receivedAt) {
    Set<String> wanted = new HashSet<>(read(fingerprints, STRINGS));
    List<Alert> alerts = n.alerts().stream().filter(a -> wanted.contains(a.fingerprint())).toList();
    return new Delivery(id, target, n, alerts, Times.parse(receivedAt));
  }
}
