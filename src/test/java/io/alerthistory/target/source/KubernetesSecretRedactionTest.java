package io.alerthistory.target.source;

import static io.alerthistory.target.source.KubernetesMockCluster.SELECTOR;
import static io.alerthistory.target.source.KubernetesMockCluster.TARGET_LABEL;
import static io.alerthistory.target.source.KubernetesMockCluster.base64;
import static io.alerthistory.target.source.KubernetesMockCluster.rawData;
import static io.alerthistory.target.source.KubernetesMockCluster.stringData;
import static io.alerthistory.target.source.KubernetesMockCluster.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.alerthistory.format.Formatters;
import io.alerthistory.target.TargetParser;
import io.alerthistory.target.TargetSnapshot;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Secret values never reach exception messages or log output. */
class KubernetesSecretRedactionTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String HEADER = "hdr-5ecret-7f3a";
  private static final String ROUTING_KEY = "rk-5ecret-91bc";
  private static final String QUERY = "qry-5ecret-22d1";
  private static final String IN_BROKEN_JSON = "brk-5ecret-0e9d";
  private static final String IN_BROKEN_DATA = "brk2-5ecret-6c70";
  private static final String OTHER_KEY = "pw-5ecret-4411";
  private static final String IN_RESPONSE = "rsp-5ecret-83aa";
  private static final List<String> SECRETS =
      List.of(HEADER, ROUTING_KEY, QUERY, IN_BROKEN_JSON, IN_BROKEN_DATA, OTHER_KEY, IN_RESPONSE);

  private KubernetesLogCapture logs;
  private final List<String> exceptionTexts = new ArrayList<>();

  @BeforeEach
  void capture() {
    logs = new KubernetesLogCapture();
  }

  @AfterEach
  void release() {
    logs.close();
  }

  @Test
  void secretValuesAppearNowhere() throws Exception {
    try (KubernetesMockCluster cluster = new KubernetesMockCluster()) {
      cluster.create(
          target(
              "team-a",
              "hook",
              "{\"type\":\"webhook\",\"url\":\"https://h.example.test/x?token="
                  + QUERY
                  + "\",\"headers\":{\"Authorization\":\"Bearer "
                  + HEADER
                  + "\"}}"));
      cluster.create(
          target(
              "team-a",
              "pager",
              "{\"type\":\"pagerduty\",\"url\":\"https://events.example.test/v2/enqueue\","
                  + "\"routing_key\":\""
                  + ROUTING_KEY
                  + "\"}"));
      cluster.create(
          target(
              "team-a",
              "broken-json",
              "{\"type\":\"webhook\",\"headers\":{\"Authorization\":\"" + IN_BROKEN_JSON));
      cluster.create(
          rawData(
              "team-a",
              "broken-data",
              Map.of("config", base64("{\"routing_key\": " + IN_BROKEN_DATA))));
      cluster.create(
          stringData("team-a", "no-config", TARGET_LABEL, Map.of("password", OTHER_KEY)));

      KubernetesTargetSource source =
          new KubernetesTargetSource(
              cluster.client(),
              false,
              List.of("team-a"),
              SELECTOR,
              Duration.ZERO,
              Duration.ofMillis(20));
      var listings = new KubernetesTargetSourceTest.Listings();
      try (source) {
        TargetSnapshot listed = snapshot(source.list());
        assertThat(listed.targets()).containsOnlyKeys("hook", "pager");
        source.watch(listings);
        await().atMost(WAIT).until(() -> listings.latest().size() == 5);
        await().atMost(WAIT).until(() -> logs.sourceMessages().contains("Secret watch started"));
        cluster.dropWatches();
        await().atMost(WAIT).until(() -> logs.sourceMessages().contains("Secret watch recovered"));
        TargetSnapshot watched = snapshot(listings.latest());
        assertThat(watched.invalid()).hasSize(3);
        for (var invalid : watched.invalid()) {
          exceptionTexts.add(invalid.reasons().toString());
        }
        exceptionTexts.add(watched.get("hook").toString());
        exceptionTexts.add(watched.get("hook").view().toString());
        exceptionTexts.add(watched.get("pager").toString());
        exceptionTexts.add(watched.get("pager").view().toString());
      }
    }

    assertNoSecretAnywhere();
  }

  @Test
  void unparseableResponsesAreNotQuoted() {
    KubernetesMockServer server = new KubernetesMockServer(false);
    server.init();
    String garbage = "{\"kind\":\"SecretList\",\"items\":[{\"data\":{\"config\":\"" + IN_RESPONSE;
    String list = "/api/v1/namespaces/team-a/secrets?labelSelector=publishing-target%3Dtrue";
    server.expect().get().withPath(list).andReturn(200, garbage).always();
    server.expect().get().withPath(list + "&resourceVersion=0").andReturn(200, garbage).always();
    try (var client = server.createClient();
        var source =
            new KubernetesTargetSource(
                client, false, List.of("team-a"), SELECTOR, Duration.ZERO, Duration.ofMillis(20))) {
      TargetSourceException e = catchThrowableOfType(TargetSourceException.class, source::list);
      assertThat(e.type()).isEqualTo(TargetSourceException.ErrorType.PARSE);
      exceptionTexts.add(chain(e));

      source.watch(entries -> {});
      await()
          .atMost(WAIT)
          .until(
              () ->
                  logs.sourceMessages().stream()
                      .anyMatch(m -> m.startsWith("Secret watch failed, retrying")));
    } finally {
      server.destroy();
    }

    assertNoSecretAnywhere();
  }

  private void assertNoSecretAnywhere() {
    String logText = logs.allText();
    assertThat(logText).contains("Secret watch"); // the capture did see this source's logs
    for (String secret : SECRETS) {
      assertThat(logText).doesNotContain(secret);
      assertThat(exceptionTexts).noneMatch(t -> t.contains(secret));
    }
  }

  private static TargetSnapshot snapshot(List<io.alerthistory.target.SourceEntry> entries) {
    return TargetSnapshot.build(
        entries, new TargetParser(Formatters.standard().available()), Instant.now());
  }

  private static String chain(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t).append('\n');
    }
    return b.toString();
  }
}
