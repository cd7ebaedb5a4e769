package io.alerthistory.format;

import com.fasterxml.jackson.core.JsonGenerator;
import io.alerthistory.alert.Alert;
import io.alerthistory.alert.AlertStatus;
import io.alerthistory.alert.Notification;
import io.alerthistory.attempt.AttemptOutcome;
import io.alerthistory.attempt.FailureReason;
import io.alerthistory.target.PayloadFormat;
import io.alerthistory.target.Target;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slack incoming-webhook message: a {@code text} fallback plus one attachment, coloured by
 * severity, holding the blocks: a header, summary fields, up to {@value #MAX_LISTED} alerts with
 * their links, "+N more", and a link to Alertmanager. At most 25 blocks, every text within Slack's
 * limits.
 */
public final class SlackFormatter implements PayloadFormatter {
  static final int MAX_LISTED = 10;
  static final int MAX_HEADER = 150;
  static final int MAX_SECTION = 3000;
  static final int MAX_FIELD = 2000;
  static final int MAX_BLOCKS = 50;

  /** Links longer than this are left out rather than cut, since a cut URL is a wrong URL. */
  static final int MAX_LINK_URL = 1400;

  static final String RED = "#E01E5A";
  static final String ORANGE = "#F2A500";
  static final String GREY = "#9E9E9E";
  static final String GREEN = "#2EB67D";

  /** Errors Slack may answer with 200 that go away on their own. */
  private static final Set<String> TRANSIENT_ERRORS =
      Set.of(
          "ratelimited",
          "rate_limited",
          "service_unavailable",
          "internal_error",
          "fatal_error",
          "request_timeout");

  private static final Pattern JSON_ERROR = Pattern.compile("\"error\"\\s*:\\s*\"([^\"]*)\"");

  @Override
  public PayloadFormat format() {
    return PayloadFormat.SLACK;
  }

  @Override
  public byte[] render(Notification n, List<Alert> alerts) {
    String header = Texts.truncate(header(n, alerts), MAX_HEADER);
    return JsonWriting.render(
        g -> {
          g.writeStartObject();
          g.writeStringField("text", Texts.truncate(escape(fallback(n, alerts)), MAX_SECTION));
          g.writeArrayFieldStart("attachments");
          g.writeStartObject();
          g.writeStringField("color", colour(alerts));
          g.writeArrayFieldStart("blocks");
          g.writeStartObject();
          g.writeStringField("type", "header");
          plainText(g, header);
          g.writeEndObject();
          summaryFields(g, alerts);
          g.writeStartObject();
          g.writeStringField("type", "divider");
          g.writeEndObject();
          for (Alert a : alerts.subList(0, Math.min(MAX_LISTED, alerts.size()))) {
            section(g, Texts.truncate(alertText(a), MAX_SECTION));
            String links =
                links(
                    List.of(
                        new String[] {a.generatorURL(), "Source"},
                        new String[] {a.annotations().getOrDefault("runbook_url", ""), "Runbook"}));
            if (!links.isEmpty()) {
              context(g, links);
            }
          }
          if (alerts.size() > MAX_LISTED) {
            context(g, "+" + (alerts.size() - MAX_LISTED) + " more");
          }
          String am = links(List.<String[]>of(new String[] {n.externalURL(), "Alertmanager"}));
          if (!am.isEmpty()) {
            context(g, am);
          }
          g.writeEndArray();
          g.writeEndObject();
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  @Override
  public AttemptOutcome outcome(Target target, OutgoingRequest request, ReceivedResponse answer) {
    if (answer.status() != 200) {
      return answer.classify(target);
    }
    String body = answer.body().strip();
    if (body.equals("ok")) {
      return new AttemptOutcome.Delivered(200);
    }
    Matcher m = JSON_ERROR.matcher(body);
    String error = m.find() ? m.group(1) : body;
    if (TRANSIENT_ERRORS.contains(error)) {
      FailureReason reason =
          error.contains("rate") ? FailureReason.RATE_LIMITED : FailureReason.SERVER_ERROR;
      return new AttemptOutcome.Retry(reason, 200, null, answer.excerpt(target));
    }
    return new AttemptOutcome.DeadLetter(FailureReason.CLIENT_ERROR, 200, answer.excerpt(target));
  }

  static String header(Notification n, List<Alert> alerts) {
    long firing = alerts.stream().filter(a -> a.status() == AlertStatus.FIRING).count();
    String status = firing > 0 ? "[FIRING:" + firing + "] " : "[RESOLVED] ";
    return status + Texts.alertname(n, alerts.getFirst());
  }

  private static String fallback(Notification n, List<Alert> alerts) {
    String summary = n.commonAnnotations().getOrDefault("summary", "");
    return summary.isBlank() ? header(n, alerts) : header(n, alerts) + ": " + summary;
  }

  /** Red for critical or error, orange for warning, grey otherwise, green once all resolved. */
  static String colour(List<Alert> alerts) {
    Severity worst = null;
    for (Alert a : alerts) {
      if (a.status() == AlertStatus.FIRING) {
        Severity s = Severity.of(a);
        if (worst == null || s.ordinal() < worst.ordinal()) {
          worst = s;
        }
      }
    }
    if (worst == null) {
      return GREEN;
    }
    return switch (worst) {
      case CRITICAL, ERROR -> RED;
      case WARNING -> ORANGE;
      case INFO -> GREY;
    };
  }

  private static void summaryFields(JsonGenerator g, List<Alert> alerts) throws IOException {
    Set<String> severities = new TreeSet<>();
    Set<String> namespaces = new TreeSet<>();
    Alert earliest = alerts.getFirst();
    long firing = 0;
    for (Alert a : alerts) {
      if (!a.label("severity").isBlank()) {
        severities.add(a.label("severity"));
      }
      if (!a.label("namespace").isBlank()) {
        namespaces.add(a.label("namespace"));
      }
      if (a.startsAtInstant().isBefore(earliest.startsAtInstant())) {
        earliest = a;
      }
      if (a.status() == AlertStatus.FIRING) {
        firing++;
      }
    }
    g.writeStartObject();
    g.writeStringField("type", "section");
    g.writeArrayFieldStart("fields");
    field(g, "Severity", severities.isEmpty() ? "-" : String.join(", ", severities));
    field(g, "Namespace", namespaces.isEmpty() ? "-" : String.join(", ", namespaces));
    field(g, "Started", earliest.startsAt());
    field(g, "Alerts", firing + " firing, " + (alerts.size() - firing) + " resolved");
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void field(JsonGenerator g, String name, String value) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "mrkdwn");
    g.writeStringField("text", Texts.truncate("*" + name + "*\n" + escape(value), MAX_FIELD));
    g.writeEndObject();
  }

  private static String alertText(Alert a) {
    StringBuilder b = new StringBuilder();
    b.append('*').append(a.status().wireName().toUpperCase(java.util.Locale.ROOT)).append("* ");
    b.append('*').append(escape(a.alertname())).append('*');
    if (!a.label("severity").isBlank()) {
      b.append(" (").append(escape(a.label("severity"))).append(')');
    }
    for (String key : List.of("summary", "description")) {
      String v = a.annotations().getOrDefault(key, "");
      if (!v.isBlank()) {
        b.append('\n').append(escape(v.strip()));
      }
    }
    Map<String, String> rest = new TreeMap<>(a.labels());
    rest.remove("alertname");
    rest.remove("severity");
    if (!rest.isEmpty()) {
      List<String> pairs = new ArrayList<>();
      rest.forEach((k, v) -> pairs.add(k + "=" + v));
      b.append("\n`").append(escape(String.join(", ", pairs)).replace("`", "'")).append('`');
    }
    return b.toString();
  }

  /** Slack mrkdwn links; empty or over-long URLs are skipped. */
  private static String links(List<String[]> hrefAndText) {
    List<String> out = new ArrayList<>();
    for (String[] l : hrefAndText) {
      String href = l[0];
      if (!href.isBlank() && href.length() <= MAX_LINK_URL) {
        String safe =
            href.replace("&", "&amp;").replace("<", "%3C").replace(">", "%3E").replace("|", "%7C");
        out.add("<" + safe + "|" + l[1] + ">");
      }
    }
    return String.join("  ", out);
  }

  /** The three characters Slack asks to be escaped in mrkdwn. */
  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static void plainText(JsonGenerator g, String text) throws IOException {
    g.writeObjectFieldStart("text");
    g.writeStringField("type", "plain_text");
    g.writeStringField("text", text);
    g.writeEndObject();
  }

  private static void section(JsonGenerator g, String mrkdwn) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "section");
    g.writeObjectFieldStart("text");
    g.writeStringField("type", "mrkdwn");
    g.writeStringField("text", mrkdwn);
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void context(JsonGenerator g, String mrkdwn) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "context");
    g.writeArrayFieldStart("elements");
    g.writeStartObject();
    g.writeStringField("type", "mrkdwn");
    g.writeStringField("text", mrkdwn);
    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
  }
}
