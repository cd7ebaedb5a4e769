package io.alerthistory.target.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.alerthistory.format.Formatters;
import io.alerthistory.target.PayloadFormat;
import io.alerthistory.target.TargetParser;
import io.alerthistory.target.TargetSnapshot;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The manifests under deploy/kubernetes are what the source and the parser expect. */
class KubernetesManifestsTest {
  private static final Path DIR = Path.of("deploy/kubernetes");

  @Test
  void everyExampleTargetIsReadFromTheApiServer() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.filter(p -> p.getFileName().toString().startsWith("target-")).sorted().toList();
    }
    assertThat(files).hasSize(5);

    try (KubernetesMockCluster cluster = new KubernetesMockCluster()) {
      for (Path f : files) {
        try (InputStream in = Files.newInputStream(f)) {
          cluster.create(cluster.client().secrets().load(in).item());
        }
      }
      var source =
          new KubernetesTargetSource(
              cluster.client(),
              List.of("monitoring"),
              KubernetesMockCluster.SELECTOR,
              Duration.ZERO);
      var entries = source.list();

      TargetSnapshot complete =
          TargetSnapshot.build(
              entries, new TargetParser(Set.of(PayloadFormat.values())), Instant.now());
      assertThat(complete.invalid()).isEmpty();
      assertThat(complete.targets())
          .containsOnlyKeys(
              "team-webhook", "slack-oncall", "pagerduty-prod", "rootly-incidents", "log");

      // This build has a formatter for every type, so every manifest is a valid target.
      TargetSnapshot today =
          TargetSnapshot.build(
              entries, new TargetParser(Formatters.standard().available()), Instant.now());
      assertThat(today.invalid()).isEmpty();
      assertThat(today.targets().keySet()).isEqualTo(complete.targets().keySet());
    }
  }

  @Test
  void exampleCredentialsAreObviousPlaceholders() throws Exception {
    for (String f : List.of("target-webhook.yaml", "target-pagerduty.yaml", "target-rootly.yaml")) {
      assertThat(Files.readString(DIR.resolve(f))).contains("EXAMPLE").contains("REPLACE-ME");
    }
    assertThat(Files.readString(DIR.resolve("target-slack.yaml"))).contains("EXAMPLEEXAMPLE");
  }

  @Test
  void theRoleGrantsOnlyReadingSecrets() throws Exception {
    JsonNode role = new YAMLMapper().readTree(DIR.resolve("role.yaml").toFile());
    assertThat(role.path("kind").asText()).isEqualTo("Role");
    JsonNode rules = role.path("rules");
    assertThat(rules).hasSize(1);
    assertThat(rules.get(0).path("resources").toString()).isEqualTo("[\"secrets\"]");
    assertThat(rules.get(0).path("verbs").toString()).isEqualTo("[\"get\",\"list\",\"watch\"]");

    JsonNode binding = new YAMLMapper().readTree(DIR.resolve("rolebinding.yaml").toFile());
    JsonNode account = new YAMLMapper().readTree(DIR.resolve("serviceaccount.yaml").toFile());
    assertThat(binding.path("roleRef").path("name").asText())
        .isEqualTo(role.path("metadata").path("name").asText());
    assertThat(binding.path("subjects").get(0).path("name").asText())
        .isEqualTo(account.path("metadata").path("name").asText());
  }
}
