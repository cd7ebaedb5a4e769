package io.alerthistory.format;

import io.alerthistory.alert.Alert;
import io.alerthistory.alert.AlertStatus;
import io.alerthistory.alert.Notification;
import io.alerthistory.alert.NotificationParser;
import io.alerthistory.target.PayloadFormat;
import io.alerthistory.target.Target;
import io.alerthistory.target.TargetType;
import io.alerthistory.testing.Resources;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Notifications and targets the format tests and benchmarks share. */
public final class Fixtures {
  static final Instant NOW = Instant.parse("2026-11-23T09:40:00Z");
  static final String ROUTING_KEY = "R0UT1NGKEY0123456789abcdef012345";
  static final String ROOTLY_TOKEN = "rootly-s3cr3t-token";
  static final String SLACK_PATH = "/services/T0001/B0002/s3cr3tSlackHookPath";

  private Fixtures() {}

  static Notification example(String name) {
    String json = Resources.repoFile("examples/alerts/" + name + ".json");
    var r = new NotificationParser().parse(json.getBytes(StandardCharsets.UTF_8));
    return ((NotificationParser.Parsed) r).notification();
  }

  /** A notification of {@code count} firing alerts with {@code annotationChars} of description. */
  public static Notification many(int count, int annotationChars) {
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String severity = List.of("critical", "warning", "info").get(i % 3);
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("alertname", "KubeDeploymentReplicasMismatch");
      labels.put("namespace", "team-" + (i % 4));
      labels.put("deployment", "svc-" + i);
      labels.put("severity", severity);
      labels.put("instance", "10.0.4." + i + ":8080");
      Map<String, String> annotations = new LinkedHashMap<>();
      annotations.put("summary", "Deployment svc-" + i + " has not matched its replicas.");
      annotations.put("description", text(annotationChars, i));
      alerts.add(
          new Alert(
              AlertStatus.FIRING,
              labels,
              annotations,
              Instant.parse("2026-11-23T08:00:00Z").plusSeconds(60L * i).toString(),
              "",
              "http://prometheus.monitoring.svc:9090/graph?g0.expr=kube_deployment_spec_replicas",
              String.format("%016x", 0xabc000L + i)));
    }
    return notification(alerts);
  }

  /** One alert whose description and two more annotations are far beyond any limit. */
  static Notification huge() {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("summary", "Queue backlog is growing. " + text(1500, 7));
    annotations.put("description", text(12_000, 1));
    annotations.put("stacktrace", "<&> " + text(4000, 2));
    annotations.put("runbook_url", "https://runbooks.example.com/queue-backlog");
    Alert a =
        new Alert(
            AlertStatus.FIRING,
            Map.of("alertname", "QueueBacklogGrowing", "severity", "error", "job", "queue-worker"),
            annotations,
            "2026-11-23T09:00:00Z",
            "",
            "http://prometheus.monitoring.svc:9090/graph?g0.expr=queue_depth",
            "77e1a0b2c3d4e5f6");
    return notification(List.of(a));
  }

  static Notification notification(List<Alert> alerts) {
    return new Notification(
        "4",
        "{}:{alertname=\"" + alerts.getFirst().alertname() + "\"}",
        0,
        AlertStatus.FIRING,
        "alert-history",
        Map.of("alertname", alerts.getFirst().alertname()),
        Map.of("alertname", alerts.getFirst().alertname()),
        Map.of(),
        "http://alertmanager.monitoring.svc:9093",
        alerts);
  }

  /** Deterministic filler text. */
  static String text(int chars, int seed) {
    StringBuilder b = new StringBuilder(chars);
    String words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod ";
    int i = seed;
    while (b.length() < chars) {
      b.append(words.charAt(i++ % words.length()));
    }
    return b.toString();
  }

  public static Target target(PayloadFormat format) {
    return target(typeOf(format), format, defaultUrl(format));
  }

  static Target target(TargetType type, String url) {
    return target(type, type.defaultFormat(), url);
  }

  static Target target(TargetType type, PayloadFormat format, String url) {
    Map<String, String> headers =
        type == TargetType.ROOTLY ? Map.of("Authorization", "Bearer " + ROOTLY_TOKEN) : Map.of();
    return new Target(
        type.wireName() + "-test",
        "monitoring",
        "monitoring/" + type.wireName() + "-test",
        type,
        URI.create(url),
        format,
        true,
        headers,
        type == TargetType.PAGERDUTY ? ROUTING_KEY : null,
        List.of(),
        type.defaultRateLimit(),
        Duration.ofSeconds(5),
        null);
  }

  static String defaultUrl(PayloadFormat format) {
    return switch (format) {
      case SLACK -> "https://hooks.slack.com" + SLACK_PATH;
      case PAGERDUTY -> "https://events.pagerduty.com/v2/enqueue";
      case ROOTLY -> "https://api.rootly.com";
      default -> "https://hooks.example.com/alerts";
    };
  }

  static TargetType typeOf(PayloadFormat format) {
    return switch (format) {
      case SLACK -> TargetType.SLACK;
      case PAGERDUTY -> TargetType.PAGERDUTY;
      case ROOTLY -> TargetType.ROOTLY;
      default -> TargetType.WEBHOOK;
    };
  }

  /** A counter's value for one label value; 0 when never incremented. */
  static double counter(PrometheusRegistry registry, String name, String label, String value) {
    for (MetricSnapshot s : registry.scrape()) {
      if ((s.getMetadata().getName() + "_total").equals(name)) {
        for (DataPointSnapshot p : s.getDataPoints()) {
          if (value.equals(p.getLabels().get(label))) {
            return ((CounterSnapshot.CounterDataPointSnapshot) p).getValue();
          }
        }
      }
    }
    return 0;
  }

  /** Every request a format makes for a notification: one per alert for incident formats. */
  public static List<Prepared> prepareAll(PayloadFormatter f, Target t, Notification n) {
    if (!f.perAlert()) {
      return List.of(f.prepare(t, n, n.alerts()));
    }
    return n.alerts().stream().map(a -> f.prepare(t, n, List.of(a))).toList();
  }
}
