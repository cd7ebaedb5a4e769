package io.alerthistory.format;

import io.alerthistory.alert.Alert;
import io.alerthistory.alert.Notification;
import io.alerthistory.target.PayloadFormat;
import java.util.List;

/**
 * Re-emits the Alertmanager v4 payload with only the alerts that passed the filter, so any receiver
 * written for Alertmanager works unchanged.
 */
public final class AlertmanagerFormatter implements PayloadFormatter {
  /** Alertmanager's "no end time": Go's zero time. */
  static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  @Override
  public PayloadFormat format() {
    return PayloadFormat.ALERTMANAGER;
  }

  @Override
  public byte[] render(Notification n, List<Alert> alerts) {
    return JsonWriting.render(
        g -> {
          g.writeStartObject();
          g.writeStringField("version", n.version());
          g.writeStringField("groupKey", n.groupKey());
          g.writeNumberField("truncatedAlerts", n.truncatedAlerts());
          g.writeStringField("status", JsonWriting.groupStatus(alerts).wireName());
          g.writeStringField("receiver", n.receiver());
          JsonWriting.stringMap(g, "groupLabels", n.groupLabels());
          JsonWriting.stringMap(g, "commonLabels", n.commonLabels());
          JsonWriting.stringMap(g, "commonAnnotations", n.commonAnnotations());
          g.writeStringField("externalURL", n.externalURL());
          g.writeArrayFieldStart("alerts");
          for (Alert a : alerts) {
            g.writeStartObject();
            g.writeStringField("status", a.status().wireName());
            JsonWriting.stringMap(g, "labels", a.labels());
            JsonWriting.stringMap(g, "annotations", a.annotations());
            g.writeStringField("startsAt", a.startsAt());
            g.writeStringField("endsAt", a.endsAt().isEmpty() ? ZERO_TIME : a.endsAt());
            g.writeStringField("generatorURL", a.generatorURL());
            g.writeStringField("fingerprint", a.fingerprint());
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }
}
