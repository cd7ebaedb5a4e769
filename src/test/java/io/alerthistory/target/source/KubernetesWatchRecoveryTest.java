package io.alerthistory.target.source;

import static io.alerthistory.target.source.KubernetesMockCluster.SELECTOR;
import static io.alerthistory.target.source.KubernetesMockCluster.target;
import static io.alerthistory.target.source.KubernetesMockCluster.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alerthistory.format.Formatters;
import io.alerthistory.target.SourceEntry;
import io.alerthistory.target.TargetParser;
import io.alerthistory.target.TargetSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Informers recover when the API server cuts their watch connections. */
class KubernetesWatchRecoveryTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final TargetParser PARSER = new TargetParser(Formatters.standard().available());

  private KubernetesMockCluster cluster;
  private KubernetesTargetSource source;
  private KubernetesLogCapture logs;
  private final KubernetesTargetSourceTest.Listings listings =
      new KubernetesTargetSourceTest.Listings();

  @BeforeEach
  void start() {
    logs = new KubernetesLogCapture();
    cluster = new KubernetesMockCluster();
    source =
        new KubernetesTargetSource(
            cluster.client(),
            false,
            List.of("team-a", "team-b"),
            SELECTOR,
            Duration.ofMillis(20),
            Duration.ofMillis(20));
  }

  @AfterEach
  void stop() {
    source.close();
    cluster.close();
    logs.close();
  }

  private Map<String, String> hosts() {
    TargetSnapshot s = TargetSnapshot.build(listings.latest(), PARSER, Instant.now());
    return s.targets().values().stream()
        .collect(java.util.stream.Collectors.toMap(t -> t.name(), t -> t.url().getHost()));
  }

  @Test
  void changesMadeWhileTheWatchIsDownAreSeenAfterItRecovers() {
    cluster.create(target("team-a", "kept", webhook("kept", "https://old.example.test/")));
    cluster.create(target("team-b", "gone", webhook("gone", "https://gone.example.test/")));
    source.watch(listings);
    await().atMost(WAIT).until(() -> hosts().keySet().equals(Set.of("kept", "gone")));
    await().atMost(WAIT).until(() -> source.watching() && cluster.openWatches() == 2);
    int requestsBefore = cluster.watchRequests();

    cluster.refuseWatches(503);
    assertThat(cluster.dropWatches()).isEqualTo(2);
    await().atMost(WAIT).until(() -> !source.watching());
    cluster.setConfig("team-a", "kept", webhook("kept", "https://new.example.test/"));
    cluster.create(target("team-a", "added", webhook("added", "https://added.example.test/")));
    // The informers tried again and were refused, so nothing could have come through a watch.
    await().atMost(WAIT).until(() -> cluster.watchRequests() >= requestsBefore + 2);
    assertThat(hosts()).containsOnlyKeys("kept", "gone");

    cluster.refuseWatches(0);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(hosts())
                    .isEqualTo(
                        Map.of(
                            "kept", "new.example.test",
                            "added", "added.example.test",
                            "gone", "gone.example.test")));
    await().atMost(WAIT).until(source::watching);
    cluster.delete("team-b", "gone");
    await().atMost(WAIT).until(() -> hosts().keySet().equals(Set.of("kept", "added")));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(logs.sourceMessages())
                    .contains(
                        "Secret watch started",
                        "Secret watch broken, reconnecting",
                        "Secret watch recovered"));
  }

  @Test
  void anExpiredWatchRelistsAndSeesDeletionsMadeMeanwhile() {
    cluster.create(target("team-a", "kept", webhook("kept", "https://k.example.test/")));
    cluster.create(target("team-b", "gone", webhook("gone", "https://g.example.test/")));
    source.watch(listings);
    await().atMost(WAIT).until(() -> hosts().keySet().equals(Set.of("kept", "gone")));
    await().atMost(WAIT).until(() -> source.watching() && cluster.openWatches() == 2);

    // Reconnects are refused until the deletion is made, then find their version expired.
    cluster.refuseWatches(503);
    cluster.dropWatches();
    cluster.delete("team-b", "gone");
    cluster.expireWatches(true);
    cluster.refuseWatches(0);
    await().atMost(WAIT).until(() -> hosts().keySet().equals(Set.of("kept")));
    cluster.expireWatches(false);

    await().atMost(WAIT).until(source::watching);
    cluster.create(target("team-b", "back", webhook("back", "https://b.example.test/")));
    await().atMost(WAIT).until(() -> hosts().keySet().equals(Set.of("kept", "back")));
  }

  @Test
  void aWatchWhoseFirstListingFailsKeepsTryingUntilItIsAllowed() {
    cluster.create(target("team-a", "a", webhook("a", "https://a.example.test/")));
    cluster.refuseLists(403);

    source.watch(listings);
    await().atMost(WAIT).until(() -> cluster.listRequests() >= 3);
    assertThat(source.watching()).isFalse();
    assertThat(listings.count()).isZero();

    cluster.refuseLists(0);

    await().atMost(WAIT).until(() -> hosts().keySet().equals(Set.of("a")));
    await().atMost(WAIT).until(source::watching);
    assertThat(logs.events())
        .anyMatch(
            e ->
                e.getFormattedMessage().startsWith("Secret watch failed, retrying: HTTP 403")
                    && e.getKeyValuePairs().stream()
                        .anyMatch(kv -> kv.key.equals("error_type") && kv.value.equals("auth")));
  }

  @Test
  void nothingIsReportedUntilEveryNamespaceIsListed() {
    cluster.create(target("team-a", "a", webhook("a", "https://a.example.test/")));
    cluster.create(target("team-b", "b", webhook("b", "https://b.example.test/")));
    cluster.refuseLists(503, "team-b");

    source.watch(listings);
    await().atMost(WAIT).until(() -> cluster.listRequests() >= 3);
    // team-b's targets would look deleted in a listing made without it.
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> listings.count() == 0);

    cluster.refuseLists(0);
    await().atMost(WAIT).until(() -> hosts().keySet().equals(Set.of("a", "b")));
  }

  @Test
  void aDroppedWatchReconnectsAndKeepsDeliveringChanges() {
    source.watch(listings);
    await().atMost(WAIT).until(() -> source.watching() && cluster.openWatches() == 2);
    int requestsBefore = cluster.watchRequests();

    for (int round = 1; round <= 3; round++) {
      cluster.dropWatches();
      String name = "after-drop-" + round;
      cluster.create(target("team-b", name, webhook(name, "https://r.example.test/")));
      await().atMost(WAIT).until(() -> hosts().containsKey(name));
    }

    assertThat(cluster.watchRequests()).isGreaterThanOrEqualTo(requestsBefore + 3);
    await().atMost(WAIT).until(source::watching);
    List<SourceEntry> latest = listings.latest();
    assertThat(latest).extracting(SourceEntry::origin).contains("team-b/after-drop-3");
  }
}
