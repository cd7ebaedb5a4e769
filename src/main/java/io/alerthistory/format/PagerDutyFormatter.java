package io.alerthistory.format;

import com.fasterxml.jackson.core.JsonGenerator;
import io.alerthistory.alert.Alert;
import io.alerthistory.alert.AlertStatus;
import io.alerthistory.alert.Notification;
import io.alerthistory.target.PayloadFormat;
import io.alerthistory.target.Target;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PagerDuty Events API v2: one event per alert, {@code trigger} while it fires and {@code resolve}
 * once it resolves, both keyed by the fingerprint so PagerDuty folds them into one incident.
 */
public final class PagerDutyFormatter implements PayloadFormatter {
  /** PagerDuty rejects events over 512 KB. */
  static final int MAX_EVENT_BYTES = 512 * 1024;

  static final int MAX_SUMMARY = 1024;
  static final int MAX_DEDUP_KEY = 255;

  private final Counter trimmed;

  public PagerDutyFormatter(PrometheusRegistry registry) {
    trimmed =
        Counter.builder()
            .name("alert_history_publishing_payload_trimmed_total")
            .help("Payloads over the destination's size limit whose details were cut, by format.")
            .labelNames("format")
            .register(registry);
  }

  @Override
  public PayloadFormat format() {
    return PayloadFormat.PAGERDUTY;
  }

  @Override
  public boolean perAlert() {
    return true;
  }

  /** The event without its routing key, which only the target knows. */
  @Override
  public byte[] render(Notification n, List<Alert> alerts) {
    return event(null, n, Texts.single(alerts));
  }

  @Override
  public Prepared prepare(Target target, Notification n, List<Alert> alerts) {
    Alert a = Texts.single(alerts);
    return new Prepared.Send(
        OutgoingRequest.of(
            "POST", target.url(), "application/json", target, event(target.routingKey(), n, a), a));
  }

  byte[] event(String routingKey, Notification n, Alert a) {
    String dedupKey = a.fingerprint();
    if (dedupKey.length() > MAX_DEDUP_KEY) {
      dedupKey = dedupKey.substring(0, MAX_DEDUP_KEY);
    }
    if (a.status() == AlertStatus.RESOLVED) {
      String key = dedupKey;
      return JsonWriting.render(
          g -> {
            g.writeStartObject();
            if (routingKey != null) {
              g.writeStringField("routing_key", routingKey);
            }
            g.writeStringField("event_action", "resolve");
            g.writeStringField("dedup_key", key);
            g.writeEndObject();
          });
    }
    byte[] body = trigger(routingKey, dedupKey, n, a, a.labels(), a.annotations());
    if (body.length <= MAX_EVENT_BYTES) {
      return body;
    }
    trimmed.labelValues(format().wireName()).inc();
    Map<String, String> labels = new HashMap<>(a.labels());
    Map<String, String> annotations = new HashMap<>(a.annotations());
    while (body.length > MAX_EVENT_BYTES) {
      // Annotations first: they carry the bulky prose; labels identify the alert.
      Map<String, String> from =
          largestValueLength(annotations) > Texts.TRUNCATED.length() ? annotations : labels;
      String key = largestKey(from);
      if (key == null || from.get(key).length() <= Texts.TRUNCATED.length()) {
        break;
      }
      String value = from.get(key);
      int excess = body.length - MAX_EVENT_BYTES;
      // Every character is at least one byte of JSON, so cutting `excess` characters is enough.
      from.put(key, Texts.truncate(value, Math.max(0, value.length() - excess - 16)));
      body = trigger(routingKey, dedupKey, n, a, labels, annotations);
    }
    return body;
  }

  private static int largestValueLength(Map<String, String> map) {
    String k = largestKey(map);
    return k == null ? 0 : map.get(k).length();
  }

  private static String largestKey(Map<String, String> map) {
    String best = null;
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (best == null || e.getValue().length() > map.get(best).length()) {
        best = e.getKey();
      }
    }
    return best;
  }

  private static byte[] trigger(
      String routingKey,
      String dedupKey,
      Notification n,
      Alert a,
      Map<String, String> labels,
      Map<String, String> annotations) {
    return JsonWriting.render(
        g -> {
          g.writeStartObject();
          if (routingKey != null) {
            g.writeStringField("routing_key", routingKey);
          }
          g.writeStringField("event_action", "trigger");
          g.writeStringField("dedup_key", dedupKey);
          g.writeObjectFieldStart("payload");
          g.writeStringField("summary", Texts.truncate(Texts.title(a), MAX_SUMMARY));
          g.writeStringField("source", source(n, a));
          g.writeStringField("severity", Severity.of(a).wireName());
          g.writeStringField("timestamp", a.startsAt());
          g.writeObjectFieldStart("custom_details");
          JsonWriting.stringMap(g, "labels", labels);
          JsonWriting.stringMap(g, "annotations", annotations);
          g.writeEndObject();
          g.writeEndObject();
          links(g, a);
          g.writeStringField("client", "alert-history");
          if (!n.externalURL().isBlank()) {
            g.writeStringField("client_url", n.externalURL());
          }
          g.writeEndObject();
        });
  }

  private static void links(JsonGenerator g, Alert a) throws IOException {
    g.writeArrayFieldStart("links");
    link(g, a.generatorURL(), "Source");
    link(g, a.annotations().getOrDefault("runbook_url", ""), "Runbook");
    g.writeEndArray();
  }

  private static void link(JsonGenerator g, String href, String text) throws IOException {
    if (!href.isBlank()) {
      g.writeStartObject();
      g.writeStringField("href", href);
      g.writeStringField("text", text);
      g.writeEndObject();
    }
  }

  /** The instance or job label, else the Alertmanager host; PagerDuty requires a source. */
  static String source(Notification n, Alert a) {
    for (String label : List.of("instance", "job")) {
      if (!a.label(label).isBlank()) {
        return a.label(label);
      }
    }
    try {
      String host = URI.create(n.externalURL()).getHost();
      if (host != null) {
        return host;
      }
    } catch (IllegalArgumentException ignored) {
      // an unreadable externalURL falls through to the fixed name
    }
    return "alert-history";
  }
}
