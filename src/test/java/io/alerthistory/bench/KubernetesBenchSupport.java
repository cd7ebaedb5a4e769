package io.alerthistory.bench;

import ch.qos.logback.classic.Level;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** Shared set-up of the Kubernetes benchmarks: a CRUD mock API server and quiet logs. */
final class KubernetesBenchSupport {
  static final String SELECTOR = "publishing-target=true";

  // Held so the JDK does not drop the level set on it.
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private KubernetesBenchSupport() {}

  static void quietLogs() {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(Level.WARN);
  }

  static KubernetesMockServer crudServer() {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    return server;
  }

  static Secret target(String namespace, String name, String url) {
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .withLabels(Map.of("publishing-target", "true"))
        .endMetadata()
        .withStringData(
            Map.of(
                "config",
                "{\"name\":\"" + name + "\",\"type\":\"webhook\",\"url\":\"" + url + "\"}"))
        .build();
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static double[] sortedMillis(List<Long> nanos) {
    double[] ms = nanos.stream().mapToDouble(n -> n / 1e6).toArray();
    Arrays.sort(ms);
    return ms;
  }
}
