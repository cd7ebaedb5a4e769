package io.alerthistory.testing;

import io.alerthistory.alert.Notification;
import io.alerthistory.alert.NotificationParser;
import java.nio.charset.StandardCharsets;

/** Builds Alertmanager notifications for tests, through the real parser. */
public final class TestAlerts {
  public static final String STARTS_AT = "2026-03-01T09:00:00Z";

  private TestAlerts() {}

  /** One alert as JSON, with labels alertname and severity; its fingerprint comes from those. */
  public static String alert(String name, String severity, String status) {
    return """
        {"status": "%s", "labels": {"alertname": "%s", "severity": "%s"},
         "annotations": {"summary": "%s is %s"}, "startsAt": "%s"}
        """
        .formatted(status, name, severity, name, status, STARTS_AT);
  }

  public static String firing(String name, String severity) {
    return alert(name, severity, "firing");
  }

  public static String resolved(String name, String severity) {
    return alert(name, severity, "resolved");
  }

  /** A notification's JSON body holding the given alerts. */
  public static String body(String... alerts) {
    return """
        {"version": "4", "groupKey": "{}:{alertname=\\"test\\"}", "status": "firing",
         "receiver": "alert-history", "groupLabels": {}, "commonLabels": {},
         "commonAnnotations": {}, "externalURL": "http://alertmanager:9093",
         "alerts": [%s]}
        """
        .formatted(String.join(",", alerts));
  }

  public static Notification notification(String... alerts) {
    var r = new NotificationParser().parse(body(alerts).getBytes(StandardCharsets.UTF_8));
    if (r instanceof NotificationParser.Parsed p) {
      return p.notification();
    }
    throw new IllegalArgumentException("bad test notification: " + r);
  }
}
