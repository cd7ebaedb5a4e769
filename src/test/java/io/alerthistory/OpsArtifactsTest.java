package io.alerthistory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.alerthistory.testing.Resources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/prometheus/alerts.yaml passes promtool; the Grafana dashboard uses known metrics. */
class OpsArtifactsTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Pattern METRIC = Pattern.compile("\\balert_history_[a-z_]+");

  @TempDir Path dir;

  private static String promtool(Path cwd, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("promtool"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void alertRulesPassPromtoolCheckAndTheirUnitTests() throws Exception {
    JsonNode rule = YAML.readTree(Resources.repoFile("deploy/prometheus/alerts.yaml"));
    assertThat(rule.get("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(rule.get("kind").asText()).isEqualTo("PrometheusRule");
    Path rules = dir.resolve("rules.yaml");
    YAML.writeValue(rules.toFile(), Map.of("groups", rule.get("spec").get("groups")));

    String checked = promtool(dir, "check", "rules", "rules.yaml");
    assertThat(checked).contains("SUCCESS: 6 rules found");

    JsonNode tests = YAML.readTree(Resources.testResource("prometheus/alerts-test.yaml"));
    ((com.fasterxml.jackson.databind.node.ObjectNode) tests)
        .set("rule_files", YAML.createArrayNode().add("rules.yaml"));
    YAML.writeValue(dir.resolve("tests.yaml").toFile(), tests);
    promtool(dir, "test", "rules", "tests.yaml");
  }

  @Test
  void dashboardIsValidJsonOverTheServiceMetrics() throws Exception {
    JsonNode d = new ObjectMapper().readTree(Resources.repoFile("deploy/grafana/dashboard.json"));
    assertThat(d.get("uid").asText()).isEqualTo("alert-history-publishing");
    List<String> exprs = new ArrayList<>();
    for (JsonNode panel : d.get("panels")) {
      for (JsonNode t : panel.get("targets")) {
        exprs.add(t.get("expr").asText());
      }
    }
    String all = String.join("\n", exprs);
    for (String m :
        List.of(
            "alert_history_publishing_refresh_last_success_timestamp",
            "alert_history_publishing_deliveries_total",
            "alert_history_publishing_delivery_failures_total",
            "alert_history_publishing_delivery_latency_seconds_bucket",
            "alert_history_publishing_target_health",
            "alert_history_publishing_circuit_state",
            "alert_history_publishing_dead_letters_total",
            "alert_history_publishing_fallbacks_total")) {
      assertThat(all).contains(m);
    }
    Matcher matcher = METRIC.matcher(all);
    while (matcher.find()) {
      assertThat(matcher.group()).doesNotEndWith("_");
    }
    Files.writeString(dir.resolve("exprs.txt"), all);
  }
}
