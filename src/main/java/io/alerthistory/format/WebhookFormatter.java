package io.alerthistory.format;

import io.alerthistory.alert.Alert;
import io.alerthistory.alert.Notification;
import io.alerthistory.target.PayloadFormat;
import java.util.List;

/**
 * The service's own compact shape: {@code {receiver, status, group_key, alerts:[{fingerprint,
 * status, alertname, labels, annotations, starts_at, ends_at, generator_url}]}}. An alert with no
 * end time has {@code ends_at: null}.
 */
public final class WebhookFormatter implements PayloadFormatter {
  private final PayloadFormat format;

  /** The webhook shape, also used by the log format which writes it to the log. */
  public WebhookFormatter(PayloadFormat format) {
    this.format = format;
  }

  @Override
  public PayloadFormat format() {
    return format;
  }

  @Override
  public byte[] render(Notification n, List<Alert> alerts) {
    return JsonWriting.render(
        g -> {
          g.writeStartObject();
          g.writeStringField("receiver", n.receiver());
          g.writeStringField("status", JsonWriting.groupStatus(alerts).wireName());
          g.writeStringField("group_key", n.groupKey());
          g.writeArrayFieldStart("alerts");
          for (Alert a : alerts) {
            g.writeStartObject();
            g.writeStringField("fingerprint", a.fingerprint());
            g.writeStringField("status", a.status().wireName());
            g.writeStringField("alertname", a.alertname());
            JsonWriting.stringMap(g, "labels", a.labels());
            JsonWriting.stringMap(g, "annotations", a.annotations());
            g.writeStringField("starts_at", a.startsAt());
            boolean noEnd =
                a.endsAt().isEmpty() || a.endsAt().equals(AlertmanagerFormatter.ZERO_TIME);
            g.writeStringField("ends_at", noEnd ? null : a.endsAt());
            g.writeStringField("generator_url", a.generatorURL());
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }
}
