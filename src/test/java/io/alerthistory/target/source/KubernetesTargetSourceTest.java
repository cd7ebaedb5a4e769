package io.alerthistory.target.source;

import static io.alerthistory.target.source.KubernetesMockCluster.SELECTOR;
import static io.alerthistory.target.source.KubernetesMockCluster.TARGET_LABEL;
import static io.alerthistory.target.source.KubernetesMockCluster.base64;
import static io.alerthistory.target.source.KubernetesMockCluster.rawData;
import static io.alerthistory.target.source.KubernetesMockCluster.stringData;
import static io.alerthistory.target.source.KubernetesMockCluster.target;
import static io.alerthistory.target.source.KubernetesMockCluster.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.alerthistory.format.Formatters;
import io.alerthistory.target.InvalidTarget;
import io.alerthistory.target.SourceEntry;
import io.alerthistory.target.TargetParser;
import io.alerthistory.target.TargetSnapshot;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesTargetSourceTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final TargetParser PARSER = new TargetParser(Formatters.standard().available());

  private KubernetesMockCluster cluster;
  private KubernetesTargetSource source;
  private final Listings listings = new Listings();

  @BeforeEach
  void start() {
    cluster = new KubernetesMockCluster();
  }

  @AfterEach
  void stop() {
    if (source != null) {
      source.close();
    }
    cluster.close();
  }

  private KubernetesTargetSource source(String... namespaces) {
    source =
        new KubernetesTargetSource(
            cluster.client(), List.of(namespaces), SELECTOR, Duration.ofMillis(20));
    return source;
  }

  private static TargetSnapshot snapshot(List<SourceEntry> entries) {
    return TargetSnapshot.build(entries, PARSER, Instant.now());
  }

  private void awaitTargets(String... names) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(snapshot(listings.latest()).targets()).containsOnlyKeys(names));
  }

  @Test
  void listReadsLabelledSecretsOfWatchedNamespacesOnly() throws Exception {
    cluster.create(target("team-a", "a-hook", webhook("a-hook", "https://a.example.test/x")));
    cluster.create(
        rawData(
            "team-b", "b-log", Map.of("config", base64("{\"name\":\"b-log\",\"type\":\"log\"}"))));
    cluster.create(target("team-c", "c-hook", webhook("c-hook", "https://c.example.test/x")));
    cluster.create(
        stringData(
            "team-a",
            "unlabelled",
            Map.of("other", "x"),
            Map.of("config", webhook("unlabelled", "https://u.example.test/"))));

    List<SourceEntry> entries = source("team-a", "team-b").list();

    assertThat(entries)
        .extracting(SourceEntry::origin)
        .containsExactly("team-a/a-hook", "team-b/b-log");
    assertThat(entries).extracting(SourceEntry::namespace).containsExactly("team-a", "team-b");
    TargetSnapshot snapshot = snapshot(entries);
    assertThat(snapshot.targets()).containsOnlyKeys("a-hook", "b-log");
    assertThat(snapshot.get("a-hook").origin()).isEqualTo("team-a/a-hook");
    assertThat(snapshot.invalid()).isEmpty();
  }

  @Test
  void watchReportsCreateUpdateAndDelete() {
    source("team-a").watch(listings);
    await().atMost(WAIT).until(source::watching);

    cluster.create(target("team-a", "hook", webhook("hook", "https://one.example.test/")));
    awaitTargets("hook");

    cluster.setConfig("team-a", "hook", webhook("hook", "https://two.example.test/"));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(snapshot(listings.latest()).get("hook").url().getHost())
                    .isEqualTo("two.example.test"));

    cluster.delete("team-a", "hook");
    awaitTargets();
  }

  @Test
  void watchReportsExistingSecretsOnStart() {
    cluster.create(target("team-a", "early", webhook("early", "https://e.example.test/")));

    source("team-a").watch(listings);

    awaitTargets("early");
  }

  @Test
  void relabellingMovesASecretInAndOutOfTheSelector() {
    cluster.create(
        stringData(
            "team-a",
            "maybe",
            Map.of("publishing-target", "false"),
            Map.of("config", webhook("maybe", "https://m.example.test/"))));
    cluster.create(target("team-a", "always", webhook("always", "https://a.example.test/")));
    source("team-a").watch(listings);
    awaitTargets("always");

    cluster.setLabels("team-a", "maybe", TARGET_LABEL);
    awaitTargets("always", "maybe");

    cluster.setLabels("team-a", "maybe", Map.of("publishing-target", "false"));
    awaitTargets("always");
  }

  @Test
  void watchSeesEveryWatchedNamespaceAndIgnoresOthers() {
    source("team-a", "team-b").watch(listings);
    await().atMost(WAIT).until(source::watching);

    cluster.create(target("team-a", "a", webhook("a", "https://a.example.test/")));
    cluster.create(target("team-b", "b", webhook("b", "https://b.example.test/")));
    awaitTargets("a", "b");

    cluster.create(target("team-c", "c", webhook("c", "https://c.example.test/")));
    // A later change in a watched namespace proves the unwatched one had its chance to show.
    cluster.create(target("team-a", "marker", webhook("marker", "https://m.example.test/")));
    awaitTargets("a", "b", "marker");
  }

  @Test
  void brokenSecretsAreIsolatedWithReasons() throws Exception {
    cluster.create(target("team-a", "good", webhook("good", "https://g.example.test/")));
    cluster.create(rawData("team-a", "bad-base64", Map.of("config", "%%%not-base64%%%")));
    cluster.create(target("team-a", "bad-json", "{\"type\": \"webhook\", "));
    cluster.create(
        stringData("team-a", "no-config", TARGET_LABEL, Map.of("settings", "{\"type\":\"log\"}")));
    // Same declared name: team-a/dup-1 sorts first and wins, team-b/dup-2 is the duplicate.
    cluster.create(target("team-a", "dup-1", webhook("dup", "https://d1.example.test/")));
    cluster.create(target("team-b", "dup-2", webhook("dup", "https://d2.example.test/")));

    source("team-a", "team-b").watch(listings);
    awaitTargets("good", "dup");

    for (TargetSnapshot snapshot : List.of(snapshot(listings.latest()), snapshot(source.list()))) {
      assertThat(snapshot.targets()).containsOnlyKeys("good", "dup");
      assertThat(snapshot.get("dup").origin()).isEqualTo("team-a/dup-1");
      assertThat(snapshot.invalid())
          .extracting(InvalidTarget::origin)
          .containsExactlyInAnyOrder(
              "team-a/bad-base64", "team-a/bad-json", "team-a/no-config", "team-b/dup-2");
      assertThat(reasons(snapshot, "team-a/bad-base64")).contains("base64");
      assertThat(reasons(snapshot, "team-a/bad-json")).contains("not valid JSON");
      assertThat(reasons(snapshot, "team-a/no-config")).contains("no \"config\" key");
      assertThat(reasons(snapshot, "team-b/dup-2"))
          .contains("duplicate name")
          .contains("team-a/dup-1");
    }
  }

  @Test
  void closeStopsWatchingAndLeavesNoThreadBehind() {
    cluster.create(target("team-a", "hook", webhook("hook", "https://h.example.test/")));
    source("team-a", "team-b").watch(listings);
    awaitTargets("hook");
    assertThat(source.watching()).isTrue();
    assertThat(threadsNamed(KubernetesTargetSource.THREAD_NAME)).isPositive();

    source.close();

    assertThat(source.watching()).isFalse();
    assertThat(threadsNamed(KubernetesTargetSource.THREAD_NAME)).isZero();
    int seen = listings.count();
    cluster.create(target("team-a", "after", webhook("after", "https://x.example.test/")));
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> listings.count() == seen);
    source.close(); // twice is harmless
  }

  @Test
  void watchingIsFalseBeforeWatchStarts() {
    assertThat(source("team-a").watching()).isFalse();
    assertThat(source.name()).isEqualTo("kubernetes");
  }

  @Test
  void settingsAreValidated() {
    var client = cluster.client();
    assertThatThrownBy(() -> new KubernetesTargetSource(client, List.of(), SELECTOR, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KubernetesTargetSource(client, List.of("a"), " ", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new KubernetesTargetSource(client, List.of("a"), SELECTOR, Duration.ofMillis(201)))
        .hasMessageContaining("200ms");
    assertThat(
            new KubernetesTargetSource(client, List.of("a", " a", "b"), SELECTOR, Duration.ZERO)
                .namespaces())
        .containsExactly("a", "b");
  }

  @Test
  void defaultNamespaceComesFromTheServiceAccountFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("namespace");
    assertThat(KubernetesTargetSource.defaultNamespace(file)).isEqualTo("default");
    Files.writeString(file, "monitoring\n");
    assertThat(KubernetesTargetSource.defaultNamespace(file)).isEqualTo("monitoring");
    Files.writeString(file, "  ");
    assertThat(KubernetesTargetSource.defaultNamespace(file)).isEqualTo("default");
    assertThat(KubernetesTargetSource.namespacesOrDefault(List.of("x", "y")))
        .containsExactly("x", "y");
  }

  @Test
  void connectBuildsItsOwnClientFromTheEnvironment() throws Exception {
    cluster.create(target("team-a", "hook", webhook("hook", "https://h.example.test/")));
    Map<String, String> props =
        Map.of(
            "kubernetes.master", cluster.server().url("/"),
            "kubernetes.auth.tryKubeConfig", "false",
            "kubernetes.auth.tryServiceAccount", "false");
    props.forEach(System::setProperty);
    try (KubernetesClient client = KubernetesTargetSource.newClient();
        KubernetesTargetSource own =
            KubernetesTargetSource.connect(List.of("team-a"), SELECTOR, Duration.ZERO)) {
      assertThat(client.getConfiguration().getRequestRetryBackoffLimit()).isEqualTo(3);
      assertThat(own.list()).extracting(SourceEntry::origin).containsExactly("team-a/hook");
    } finally {
      props.keySet().forEach(System::clearProperty);
    }
  }

  private static String reasons(TargetSnapshot snapshot, String origin) {
    return snapshot.invalid().stream()
        .filter(i -> i.origin().equals(origin))
        .findFirst()
        .orElseThrow()
        .reasons()
        .toString();
  }

  static long threadsNamed(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(name) && t.isAlive())
        .count();
  }

  /** The listings a source reported, latest last. */
  static final class Listings implements Consumer<List<SourceEntry>> {
    private final AtomicReference<List<SourceEntry>> latest = new AtomicReference<>(List.of());
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public void accept(List<SourceEntry> entries) {
      latest.set(List.copyOf(entries));
      count.incrementAndGet();
    }

    List<SourceEntry> latest() {
      return latest.get();
    }

    int count() {
      return count.get();
    }
  }
}
