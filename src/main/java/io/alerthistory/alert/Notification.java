package io.alerthistory.alert;

import java.util.List;
import java.util.Map;

/** An Alertmanager webhook notification, payload version 4, with unknown fields dropped. */
public record Notification(
    String version,
    String groupKey,
    int truncatedAlerts,
    AlertStatus status,
    String receiver,
    Map<String, String> groupLabels,
    Map<String, String> commonLabels,
    Map<String, String> commonAnnotations,
    String externalURL,
    List<Alert> alerts) {

  public Notification {
    groupLabels = Map.copyOf(groupLabels);
    commonLabels = Map.copyOf(commonLabels);
    commonAnnotations = Map.copyOf(commonAnnotations);
    alerts = List.copyOf(alerts);
  }
}
