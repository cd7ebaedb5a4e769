package io.alerthistory.target.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alerthistory.testing.RunningApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole service with {@code TARGET_SOURCE=kubernetes}: the client is configured the way it is
 * outside a cluster (fabric8 auto-configuration, here pointed at the mock API server).
 */
class KubernetesSourceInAppTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Properties saved = (Properties) System.getProperties().clone();
  private KubernetesMockCluster cluster;
  @TempDir Path unused;

  @BeforeEach
  void start() {
    cluster = new KubernetesMockCluster();
    System.setProperty("kubernetes.master", cluster.client().getMasterUrl().toString());
    System.setProperty("kubernetes.trust.certificates", "true");
    System.setProperty("kubernetes.auth.tryKubeConfig", "false");
    System.setProperty("kubernetes.auth.tryServiceAccount", "false");
  }

  @AfterEach
  void stop() {
    System.setProperties(saved);
    cluster.close();
  }

  @Test
  void labelledSecretsBecomeTargetsWithinASecond() throws Exception {
    cluster.create(
        KubernetesMockCluster.target(
            "monitoring",
            "hook",
            KubernetesMockCluster.webhook("hook", "https://hooks.example.test/a")));
    try (RunningApp app =
        RunningApp.start(
            unused, Map.of("TARGET_SOURCE", "kubernetes", "TARGET_NAMESPACES", "monitoring"))) {
      assertThat(app.get("/readyz").statusCode()).isEqualTo(200);
      assertThat(names(app)).containsExactly("hook");

      cluster.create(
          KubernetesMockCluster.target(
              "monitoring",
              "second",
              KubernetesMockCluster.webhook("second", "https://hooks.example.test/b")));
      await().atMost(Duration.ofSeconds(1)).until(() -> names(app).contains("second"));

      cluster.client().secrets().inNamespace("monitoring").withName("hook").delete();
      await().atMost(Duration.ofSeconds(1)).until(() -> !names(app).contains("hook"));

      JsonNode status = JSON.readTree(app.get("/api/v2/publishing/targets/status").body());
      assertThat(status.get("source").asText()).isEqualTo("kubernetes");
      assertThat(status.get("watching").asBoolean()).isTrue();
      assertThat(status.get("last_change_at").isNull()).isFalse();
    }
  }

  private static java.util.List<String> names(RunningApp app) throws Exception {
    return JSON.readTree(app.get("/api/v2/publishing/targets").body())
        .get("targets")
        .findValuesAsText("name");
  }
}
