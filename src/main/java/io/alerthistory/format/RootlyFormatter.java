package io.alerthistory.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.alerthistory.alert.Alert;
import io.alerthistory.alert.AlertStatus;
import io.alerthistory.alert.Notification;
import io.alerthistory.attempt.AttemptOutcome;
import io.alerthistory.attempt.FailureReason;
import io.alerthistory.store.IncidentStore;
import io.alerthistory.store.StoreUnavailableException;
import io.alerthistory.target.PayloadFormat;
import io.alerthistory.target.Target;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rootly incidents (JSON:API, {@code application/vnd.api+json}): a firing alert opens an incident
 * with {@code POST {url}/v1/incidents}; its resolution resolves that incident with {@code PUT
 * {url}/v1/incidents/{id}/resolve}. The incident id is read from the create answer ({@code
 * data.id}) and kept in the {@link IncidentStore}.
 *
 * <p>A firing alert whose incident is already open is settled as delivered without a request
 * (Alertmanager re-sends firing alerts every repeat interval). A resolution with no known incident
 * is logged, counted and settled as a permanent client error.
 */
public final class RootlyFormatter implements PayloadFormatter {
  static final String CONTENT_TYPE = "application/vnd.api+json";
  static final int MAX_TITLE = 255;
  static final int MAX_SUMMARY = 10_000;
  static final int MAX_LABELS = 20;
  static final int MAX_LABEL_VALUE = 255;

  private static final Logger log = LoggerFactory.getLogger(RootlyFormatter.class);
  private static final JsonFactory JSON = new JsonFactory();

  private final IncidentStore store;
  private final Counter unknownIncident;

  public RootlyFormatter(IncidentStore store, PrometheusRegistry registry) {
    this.store = store;
    unknownIncident =
        Counter.builder()
            .name("alert_history_publishing_rootly_unknown_incident_total")
            .help("Resolved alerts for which no Rootly incident was known, by target.")
            .labelNames("target")
            .register(registry);
  }

  @Override
  public PayloadFormat format() {
    return PayloadFormat.ROOTLY;
  }

  @Override
  public boolean perAlert() {
    return true;
  }

  /** The create body for a firing alert, the resolve body for a resolved one. */
  @Override
  public byte[] render(Notification n, List<Alert> alerts) {
    Alert a = Texts.single(alerts);
    return a.status() == AlertStatus.FIRING ? createBody(n, a) : resolveBody(a);
  }

  @Override
  public Prepared prepare(Target target, Notification n, List<Alert> alerts) {
    Alert a = Texts.single(alerts);
    java.util.Optional<String> known;
    try {
      known = store.incidentId(target.name(), a.fingerprint());
    } catch (StoreUnavailableException e) {
      // which request to send depends on the stored id: wait for the store
      return new Prepared.Settled(
          new AttemptOutcome.Retry(FailureReason.NETWORK, 0, null, "store unavailable"));
    }
    if (a.status() == AlertStatus.FIRING) {
      if (known.isPresent()) {
        return new Prepared.Settled(new AttemptOutcome.Delivered(0));
      }
      return send("POST", endpoint(target, "/v1/incidents"), target, createBody(n, a), a);
    }
    if (known.isEmpty()) {
      unknownIncident.labelValues(target.name()).inc();
      log.atWarn()
          .addKeyValue("target", target.name())
          .addKeyValue("fingerprint", a.fingerprint())
          .log("resolved alert has no known Rootly incident; not sent");
      return new Prepared.Settled(
          new AttemptOutcome.DeadLetter(
              FailureReason.CLIENT_ERROR, 0, "no Rootly incident is known for this alert"));
    }
    String id = URLEncoder.encode(known.get(), StandardCharsets.UTF_8).replace("+", "%20");
    return send(
        "PUT", endpoint(target, "/v1/incidents/" + id + "/resolve"), target, resolveBody(a), a);
  }

  private static Prepared send(String method, URI url, Target target, byte[] body, Alert a) {
    return new Prepared.Send(OutgoingRequest.of(method, url, CONTENT_TYPE, target, body, a));
  }

  @Override
  public AttemptOutcome outcome(Target target, OutgoingRequest request, ReceivedResponse answer) {
    AttemptOutcome outcome = answer.classify(target);
    Alert a = request.alert();
    boolean create = a.status() == AlertStatus.FIRING;
    if (outcome instanceof AttemptOutcome.Delivered) {
      if (!create) {
        store.remove(target.name(), a.fingerprint());
        return outcome;
      }
      String id = incidentId(answer.body());
      if (id == null) {
        // Created, so retrying would open a duplicate; the resolution will be reported unknown.
        log.atWarn()
            .addKeyValue("target", target.name())
            .addKeyValue("fingerprint", a.fingerprint())
            .addKeyValue("status", answer.status())
            .log("Rootly create answer has no data.id; the incident cannot be resolved later");
      } else {
        store.put(target.name(), a.fingerprint(), id);
      }
    } else if (!create && answer.status() == 404) {
      store.remove(target.name(), a.fingerprint());
    }
    return outcome;
  }

  /** {@code data.id} of a JSON:API document, read as a stream so a cut-off body still works. */
  static String incidentId(String body) {
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("data") && value == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String inner = p.currentName();
            JsonToken v = p.nextToken();
            if (inner.equals("id") && (v == JsonToken.VALUE_STRING || v.isNumeric())) {
              String id = p.getText();
              return id.isBlank() ? null : id;
            }
            p.skipChildren();
          }
          return null;
        }
        p.skipChildren();
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  static URI endpoint(Target target, String path) {
    URI base = target.url();
    String basePath = base.getRawPath() == null ? "" : base.getRawPath();
    while (basePath.endsWith("/")) {
      basePath = basePath.substring(0, basePath.length() - 1);
    }
    return URI.create(base.getScheme() + "://" + base.getRawAuthority() + basePath + path);
  }

  /** Rootly's default severity slugs; an organisation with other slugs must rename its own. */
  static String severity(Alert a) {
    return switch (Severity.of(a)) {
      case CRITICAL -> "sev0";
      case ERROR -> "sev1";
      case WARNING -> "sev2";
      case INFO -> "sev3";
    };
  }

  /** A JSON:API document for one incident with the given attributes. */
  private static byte[] incident(JsonWriting.Body attributes) {
    return JsonWriting.render(
        g -> {
          g.writeStartObject();
          g.writeObjectFieldStart("data");
          g.writeStringField("type", "incidents");
          g.writeObjectFieldStart("attributes");
          attributes.write(g);
          g.writeEndObject();
          g.writeEndObject();
          g.writeEndObject();
        });
  }

  private static byte[] createBody(Notification n, Alert a) {
    return incident(
        g -> {
          g.writeStringField("title", Texts.truncate(Texts.title(a), MAX_TITLE));
          g.writeStringField("summary", Texts.truncate(summary(n, a), MAX_SUMMARY));
          g.writeStringField("severity_id", severity(a));
          g.writeObjectFieldStart("labels");
          int count = 0;
          for (Map.Entry<String, String> e : new TreeMap<>(a.labels()).entrySet()) {
            if (count++ == MAX_LABELS) {
              break;
            }
            g.writeStringField(e.getKey(), Texts.truncate(e.getValue(), MAX_LABEL_VALUE));
          }
          g.writeEndObject();
        });
  }

  private static String summary(Notification n, Alert a) {
    StringBuilder b = new StringBuilder();
    String description = a.annotations().getOrDefault("description", "");
    if (!description.isBlank()) {
      b.append(description.strip()).append("\n\n");
    }
    b.append("Started: ").append(a.startsAt()).append('\n');
    b.append("Fingerprint: ").append(a.fingerprint()).append('\n');
    appendLine(b, "Source: ", a.generatorURL());
    appendLine(b, "Runbook: ", a.annotations().getOrDefault("runbook_url", ""));
    appendLine(b, "Alertmanager: ", n.externalURL());
    return b.toString().strip();
  }

  private static void appendLine(StringBuilder b, String name, String value) {
    if (!value.isBlank()) {
      b.append(name).append(value).append('\n');
    }
  }

  private static byte[] resolveBody(Alert a) {
    String ended = a.endsAt().isEmpty() ? "" : " at " + a.endsAt();
    return incident(
        g ->
            g.writeStringField(
                "resolution_message",
                Texts.truncate(a.alertname() + " resolved in Alertmanager" + ended, MAX_TITLE)));
  }
}
