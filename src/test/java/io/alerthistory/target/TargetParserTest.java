package io.alerthistory.target;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.alerthistory.format.Formatters;
import io.alerthistory.format.WebhookFormatter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final TargetParser parser = new TargetParser(Formatters.standard().available());

  private TargetParser.Result parse(String defaultName, String json) throws Exception {
    return parser.parse(
        new SourceEntry.Declared(defaultName + ".json", "", defaultName, JSON.readTree(json)));
  }

  private List<String> reasons(String json) throws Exception {
    return ((TargetParser.Invalid) parse("t", json)).invalid().reasons();
  }

  @Test
  void minimalWebhookGetsTheDocumentedDefaults() throws Exception {
    Target t =
        ((TargetParser.Valid)
                parse("team-a", "{\"type\": \"webhook\", \"url\": \"https://example.com/h\"}"))
            .target();
    assertThat(t.name()).isEqualTo("team-a");
    assertThat(t.format()).isEqualTo(PayloadFormat.WEBHOOK);
    assertThat(t.enabled()).isTrue();
    assertThat(t.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(t.rateLimit()).isNull();
    assertThat(t.filter()).isEmpty();
  }

  @Test
  void everyFieldIsRead() throws Exception {
    Target t =
        ((TargetParser.Valid)
                parse(
                    "x",
                    """
                    {"name": "hook", "type": "webhook", "url": "https://example.com/h", "format": "alertmanager",
                     "enabled": false, "headers": {"Authorization": "Bearer s"}, "filter": ["severity=critical"],
                     "rate_limit": "30/m", "timeout": "3s", "fallback": "log"}
                    """))
            .target();
    assertThat(t.name()).isEqualTo("hook");
    assertThat(t.format()).isEqualTo(PayloadFormat.ALERTMANAGER);
    assertThat(t.enabled()).isFalse();
    assertThat(t.rateLimit()).isEqualTo(new RateLimit(30, Duration.ofMinutes(1)));
    assertThat(t.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(t.fallback()).isEqualTo("log");
    assertThat(t.accepts(Map.of("severity", "critical"))).isTrue();
    assertThat(t.accepts(Map.of("severity", "info"))).isFalse();
  }

  @Test
  void invalidEntriesListEveryReason() throws Exception {
    assertThat(
            reasons(
                """
                {"name": "Bad_Name", "type": "webhook", "url": "ftp://host/x", "format": "slack",
                 "filter": ["sev"], "rate_limit": "fast", "timeout": "forever", "colour": "red"}
                """))
        .containsExactlyInAnyOrder(
            "colour: unknown field",
            "name: \"Bad_Name\" is not a DNS-1123 label (lower-case letters, digits and '-', at most 63)",
            "url: must be an http or https URL with a host",
            "format: slack is not allowed for webhook targets",
            "filter[0]: \"sev\" is not a matcher like name=value, name!=value, name=~regex or name!~regex",
            "rate_limit: \"fast\" is not a rate like 1/s, 60/m or 100/h with a positive count",
            "timeout: \"forever\" is not a duration between 1ms and 5m (e.g. 10s)");
  }

  @Test
  void typeRulesApply() throws Exception {
    assertThat(reasons("{\"url\": \"https://x\"}")).contains("type: is required");
    assertThat(reasons("{\"type\": \"email\"}"))
        .contains("type: must be one of webhook, slack, pagerduty, rootly, log");
    assertThat(reasons("{\"type\": \"webhook\"}")).contains("url: is required");
    assertThat(
            reasons(
                "{\"type\": \"pagerduty\", \"url\": \"https://events.pagerduty.com/v2/enqueue\"}"))
        .contains("routing_key: is required for pagerduty targets");
    assertThat(parse("l", "{\"type\": \"log\"}")).isInstanceOf(TargetParser.Valid.class);
  }

  @Test
  void formatsThisBuildCannotSendAreInvalid() throws Exception {
    TargetParser webhookOnly =
        new TargetParser(
            new Formatters(List.of(new WebhookFormatter(PayloadFormat.WEBHOOK))).available());
    TargetParser.Result r =
        webhookOnly.parse(
            new SourceEntry.Declared(
                "t.json",
                "",
                "t",
                JSON.readTree(
                    "{\"type\": \"slack\", \"url\": \"https://hooks.slack.com/services/T/B/X\"}")));
    assertThat(((TargetParser.Invalid) r).invalid().reasons())
        .containsExactly("format: slack is not supported by this version");
  }

  @Test
  void slackPagerDutyAndRootlyAreValidWithTheirDefaultPace() throws Exception {
    Target slack =
        ((TargetParser.Valid)
                parse(
                    "s",
                    "{\"type\": \"slack\", \"url\": \"https://hooks.slack.com/services/T/B/X\"}"))
            .target();
    Target pd =
        ((TargetParser.Valid)
                parse(
                    "p",
                    "{\"type\": \"pagerduty\", \"url\": \"https://events.pagerduty.com/v2/enqueue\", \"routing_key\": \"k\"}"))
            .target();
    Target rootly =
        ((TargetParser.Valid)
                parse("r", "{\"type\": \"rootly\", \"url\": \"https://api.rootly.com\"}"))
            .target();
    assertThat(slack.format()).isEqualTo(PayloadFormat.SLACK);
    assertThat(slack.rateLimit()).isEqualTo(new RateLimit(1, Duration.ofSeconds(1)));
    assertThat(pd.format()).isEqualTo(PayloadFormat.PAGERDUTY);
    assertThat(pd.rateLimit()).isEqualTo(new RateLimit(120, Duration.ofMinutes(1)));
    assertThat(rootly.format()).isEqualTo(PayloadFormat.ROOTLY);
    assertThat(rootly.rateLimit()).isEqualTo(new RateLimit(60, Duration.ofMinutes(1)));
    assertThat(Formatters.standard().available()).containsExactlyInAnyOrder(PayloadFormat.values());
  }

  @Test
  void reasonsNeverQuoteSecrets() throws Exception {
    List<String> r =
        reasons(
            "{\"type\": \"webhook\", \"url\": \"not a url s3cr3t\", \"headers\": {\"A\": 5, \"B\": \"s3cr3t\"}, \"routing_key\": 7}");
    assertThat(String.join(" ", r))
        .doesNotContain("s3cr3t")
        .contains("headers.A: must be a string");
  }

  @Test
  void secretManifestsDecodeOrExplainWhyNot() {
    String config = "{\"type\": \"log\"}";
    String b64 = Base64.getEncoder().encodeToString(config.getBytes(StandardCharsets.UTF_8));
    assertThat(SecretDecoder.decode("ns/a", "ns", "a", Map.of("config", config), null))
        .isInstanceOf(SourceEntry.Declared.class);
    assertThat(SecretDecoder.decode("ns/a", "ns", "a", null, Map.of("config", b64)))
        .isInstanceOf(SourceEntry.Declared.class);
    assertThat(SecretDecoder.decode("ns/a", "ns", "a", null, Map.of("config", "%%%not-base64")))
        .isEqualTo(
            new SourceEntry.Unreadable("ns/a", "ns", "a", "data.config is not valid base64"));
    assertThat(SecretDecoder.decode("ns/a", "ns", "a", null, Map.of("other", b64)))
        .isEqualTo(
            new SourceEntry.Unreadable(
                "ns/a", "ns", "a", "Secret has no \"config\" key in data or stringData"));
    SourceEntry badJson =
        SecretDecoder.decode(
            "ns/a", "ns", "a", Map.of("config", "{\"routing_key\": R0UT1NG}"), null);
    assertThat(((SourceEntry.Unreadable) badJson).reason())
        .startsWith("config is not valid JSON (line 1")
        .doesNotContain("R0UT1NG");
  }

  @Test
  void duplicateNamesFirstByNamespaceAndOriginWins() throws Exception {
    var a =
        new SourceEntry.Declared(
            "b/x", "b", "x", JSON.readTree("{\"name\": \"same\", \"type\": \"log\"}"));
    var b =
        new SourceEntry.Declared(
            "a/y", "a", "y", JSON.readTree("{\"name\": \"same\", \"type\": \"log\"}"));
    TargetSnapshot s = TargetSnapshot.build(List.of(a, b), parser, Instant.EPOCH);
    assertThat(s.get("same").origin()).isEqualTo("a/y");
    assertThat(s.invalid())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.origin()).isEqualTo("b/x");
              assertThat(i.reasons())
                  .containsExactly("duplicate name: \"same\" is already declared by a/y");
            });
  }

  @Test
  void viewRedactsEverySecret() throws Exception {
    Target t =
        ((TargetParser.Valid)
                parse(
                    "x",
                    "{\"type\": \"webhook\", \"url\": \"https://u:p4ss@example.com:8443/h?key=k3y#frag\", \"headers\": {\"Authorization\": \"Bearer t0k\"}}"))
            .target();
    String view = JSON.writeValueAsString(t.view()) + t;
    assertThat(view)
        .doesNotContain("p4ss")
        .doesNotContain("k3y")
        .doesNotContain("t0k")
        .doesNotContain("frag");
    assertThat(t.view().url()).isEqualTo("https://***@example.com:8443/h?***");
  }

  @Test
  void aSlackWebhookPathIsASecret() throws Exception {
    Target t =
        ((TargetParser.Valid)
                parse(
                    "ops",
                    "{\"type\": \"slack\", \"url\": \"https://hooks.slack.com/services/T0/B0/xoxsecret\"}"))
            .target();
    assertThat(t.view().url()).isEqualTo("https://hooks.slack.com/***");
    assertThat(t.toString()).doesNotContain("xoxsecret");
    assertThat(Redaction.scrub("no such channel for /services/T0/B0/xoxsecret", t.secrets()))
        .doesNotContain("xoxsecret");
  }
}
