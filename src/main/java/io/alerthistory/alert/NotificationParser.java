package io.alerthistory.alert;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.alerthistory.json.FieldProblem;
import io.alerthistory.json.FieldReader;
import io.alerthistory.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses and validates an Alertmanager webhook payload (version 4). Unknown fields are ignored
 * because newer Alertmanagers add some; every problem found is reported, not just the first.
 */
public final class NotificationParser {

  /** The result of parsing: a notification, or the list of problems that reject it. */
  public sealed interface Result permits Parsed, Rejected {}

  public record Parsed(Notification notification) implements Result {}

  public record Rejected(List<FieldProblem> problems) implements Result {}

  public Result parse(byte[] body) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (JacksonException e) {
      return reject("", "malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      return reject("", "unreadable body: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      return reject("", "must be a JSON object");
    }
    FieldReader r = FieldReader.of(root);
    String version = r.string("version", false);
    if (version != null && !version.equals("4")) {
      r.problem("version", "unsupported version \"" + version + "\", expected \"4\"");
    }
    AlertStatus status = status(r, "status");
    List<Alert> alerts = alerts(r, root.get("alerts"));
    Notification n =
        new Notification(
            version == null ? "4" : version,
            nullToEmpty(r.string("groupKey", false)),
            r.nonNegativeInt("truncatedAlerts", 0),
            status,
            nullToEmpty(r.string("receiver", false)),
            r.stringMap("groupLabels"),
            r.stringMap("commonLabels"),
            r.stringMap("commonAnnotations"),
            nullToEmpty(r.string("externalURL", false)),
            alerts);
    return r.hasProblems() ? new Rejected(r.problems()) : new Parsed(n);
  }

  private static List<Alert> alerts(FieldReader r, JsonNode node) {
    List<Alert> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      r.problem("alerts", "is required");
      return out;
    }
    if (!node.isArray()) {
      r.problem("alerts", "must be a list");
      return out;
    }
    if (node.isEmpty()) {
      r.problem("alerts", "must contain at least one alert");
      return out;
    }
    for (int i = 0; i < node.size(); i++) {
      String path = "alerts[" + i + "]";
      JsonNode a = node.get(i);
      if (!a.isObject()) {
        r.problem(path, "must be an object");
        continue;
      }
      Alert alert = alert(r.nested(a, path));
      if (alert != null) {
        out.add(alert);
      }
    }
    return out;
  }

  private static Alert alert(FieldReader r) {
    AlertStatus status = status(r, "status");
    boolean labelsPresent = r.has("labels");
    Map<String, String> labels = r.stringMap("labels");
    if (!labelsPresent) {
      r.problem("labels", "is required");
    } else if (labels.getOrDefault("alertname", "").isBlank() && r.raw("labels").isObject()) {
      r.problem("labels.alertname", "is required");
    }
    Map<String, String> annotations = r.stringMap("annotations");
    String startsAt = timestamp(r, "startsAt", true);
    String endsAt = timestamp(r, "endsAt", false);
    String generatorURL = nullToEmpty(r.string("generatorURL", false));
    String fingerprint = r.string("fingerprint", false);
    if (status == null || startsAt == null || labels.get("alertname") == null) {
      return null;
    }
    if (fingerprint == null || fingerprint.isBlank()) {
      fingerprint = Fingerprints.of(labels);
    }
    return new Alert(
        status,
        labels,
        annotations,
        startsAt,
        endsAt == null ? "" : endsAt,
        generatorURL,
        fingerprint);
  }

  private static AlertStatus status(FieldReader r, String field) {
    String s = r.string(field, true);
    if (s == null) {
      return null;
    }
    AlertStatus status = AlertStatus.fromWire(s);
    if (status == null) {
      r.problem(field, "must be \"firing\" or \"resolved\", got \"" + s + "\"");
    }
    return status;
  }

  private static String timestamp(FieldReader r, String field, boolean required) {
    String s = r.string(field, required);
    if (s != null && !Timestamps.isValid(s)) {
      r.problem(field, "must be an RFC 3339 timestamp, got \"" + s + "\"");
      return null;
    }
    return s;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static Rejected reject(String field, String problem) {
    return new Rejected(List.of(new FieldProblem(field, problem)));
  }
}
