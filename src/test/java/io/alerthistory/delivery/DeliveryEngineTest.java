package io.alerthistory.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.alerthistory.delivery.EngineHarness.webhook;
import static io.alerthistory.testing.TestAlerts.firing;
import static io.alerthistory.testing.TestAlerts.notification;
import static io.alerthistory.testing.TestAlerts.resolved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.alerthistory.alert.Alert;
import io.alerthistory.alert.Notification;
import io.alerthistory.attempt.FailureReason;
import io.alerthistory.format.Formatters;
import io.alerthistory.format.PayloadFormatter;
import io.alerthistory.format.WebhookFormatter;
import io.alerthistory.json.Json;
import io.alerthistory.target.PayloadFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine over real HTTP to WireMock; every wait (backoff, Retry-After, pacing, open breaker)
 * runs on the manual clock and scheduler.
 */
class DeliveryEngineTest {
  private static final Duration AWAIT = Duration.ofSeconds(10);

  private final WireMockServer sink =
      new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
  private final List<EngineHarness> harnesses = new ArrayList<>();

  @BeforeEach
  void start() {
    sink.start();
  }

  @AfterEach
  void stop() {
    harnesses.forEach(EngineHarness::close);
    sink.stop();
  }

  private EngineHarness harness(DeliverySettings settings, String... targets) {
    EngineHarness h = new EngineHarness(settings, targets);
    harnesses.add(h);
    return h;
  }

  private EngineHarness harness(String... targets) {
    return harness(EngineHarness.settings().build(), targets);
  }

  private int received(String path) {
    return sink.findAll(postRequestedFor(urlPathEqualTo(path))).size();
  }

  private List<String> alertnamesReceived(String path) {
    List<String> out = new ArrayList<>();
    for (var r : sink.findAll(postRequestedFor(urlPathEqualTo(path)))) {
      try {
        JsonNode body = Json.MAPPER.readTree(r.getBodyAsString());
        body.get("alerts").forEach(a -> out.add(a.get("alertname").asText()));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }

  /** Waits for the attempt in flight to end with a retry, then runs the retry's timer. */
  private static void nextRetry(EngineHarness h, String target) {
    await().atMost(AWAIT).until(() -> h.jobs(target, JobState.RETRYING) == 1);
    h.scheduler.advance(h.scheduler.nextDelay());
  }

  private void stubSequence(String path, int... statuses) {
    String state = Scenario.STARTED;
    for (int i = 0; i < statuses.length; i++) {
      String next = "step" + (i + 1);
      sink.stubFor(
          post(urlPathEqualTo(path))
              .inScenario(path)
              .whenScenarioStateIs(state)
              .willReturn(aResponse().withStatus(statuses[i]).withBody("answer " + (i + 1)))
              .willSetStateTo(next));
      state = next;
    }
  }

  @Test
  void twoServerErrorsThenSuccessIsDeliveredOnTheThirdAttemptAndTheHistoryShowsAll() {
    stubSequence("/in", 500, 502, 200);
    EngineHarness h = harness(webhook("t", sink.port(), "/in"));
    Notification n = notification(firing("DiskFull", "critical"));

    assertThat(h.engine.dispatch(n)).isEqualTo(new Dispatcher.Queued(1));
    nextRetry(h, "t");
    nextRetry(h, "t");

    await().atMost(AWAIT).until(() -> h.delivered("t") == 1);
    assertThat(received("/in")).isEqualTo(3);
    List<AttemptRecord> history = h.engine.history(n.alerts().getFirst().fingerprint());
    assertThat(history)
        .extracting(AttemptRecord::attempt, AttemptRecord::statusCode, AttemptRecord::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, 500, "retry"),
            org.assertj.core.groups.Tuple.tuple(2, 502, "retry"),
            org.assertj.core.groups.Tuple.tuple(3, 200, "delivered"));
    assertThat(history)
        .extracting(AttemptRecord::reason)
        .containsExactly("serverError", "serverError", null);
    assertThat(history.get(0).responseExcerpt()).isEqualTo("answer 1");
    // backoff: the second attempt came 0.5–1 s after the first, the third 1–2 s after that
    Instant first = Instant.parse(history.get(0).at());
    Instant second = Instant.parse(history.get(1).at());
    Instant third = Instant.parse(history.get(2).at());
    assertThat(Duration.between(first, second))
        .isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    assertThat(Duration.between(second, third))
        .isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(
            h.metrics.value(
                "alert_history_publishing_delivery_failures",
                "target",
                "t",
                "reason",
                "serverError"))
        .isEqualTo(2);
    assertThat(h.metrics.value("alert_history_publishing_delivery_latency_seconds", "target", "t"))
        .isEqualTo(1);
  }

  @Test
  void retryAfterOnA429PausesTheLaneForThatLong() {
    sink.stubFor(
        post(urlPathEqualTo("/in"))
            .inScenario("limited")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2"))
            .willSetStateTo("open"));
    sink.stubFor(
        post(urlPathEqualTo("/in"))
            .inScenario("limited")
            .whenScenarioStateIs("open")
            .willReturn(aResponse().withStatus(200)));
    EngineHarness h = harness(webhook("t", sink.port(), "/in"));
    Notification first = notification(firing("First", "warning"));
    h.engine.dispatch(first);
    await().atMost(AWAIT).until(() -> h.jobs("t", JobState.RETRYING) == 1);
    Instant limitedAt = h.clock.instant();

    // another delivery queued during the pause waits for it too
    h.scheduler.advance(Duration.ofSeconds(1));
    h.engine.dispatch(notification(firing("Second", "warning")));
    h.scheduler.advance(Duration.ofMillis(999));
    assertThat(h.jobs("t", JobState.QUEUED)).isEqualTo(1);
    assertThat(h.jobs("t", JobState.RETRYING)).isEqualTo(1);
    assertThat(received("/in")).isEqualTo(1);

    h.scheduler.advance(Duration.ofMillis(1));
    await().atMost(AWAIT).until(() -> h.delivered("t") == 2);
    List<AttemptRecord> history = h.engine.history(first.alerts().getFirst().fingerprint());
    assertThat(history).extracting(AttemptRecord::reason).containsExactly("rateLimited", null);
    assertThat(Instant.parse(history.get(1).at())).isAfterOrEqualTo(limitedAt.plusSeconds(2));
    assertThat(h.metrics.value("alert_history_publishing_pacer_waits", "target", "t"))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void clientErrorIsDeadLetteredAfterOneAttemptAndReplayDeliversItOnceFixed() {
    sink.stubFor(
        post(urlPathEqualTo("/in"))
            .willReturn(aResponse().withStatus(400).withBody("{\"error\":\"bad payload\"}")));
    EngineHarness h = harness(webhook("t", sink.port(), "/in"));
    h.engine.dispatch(notification(firing("DiskFull", "critical")));

    await().atMost(AWAIT).until(() -> h.deadLetters.size() == 1);
    DeadLetter letter = h.deadLetters.oldest(DeadLetterStore.Filter.ALL, 1).getFirst();
    assertThat(letter.reason()).isEqualTo(DeadLetterReason.PERMANENT_FAILURE);
    assertThat(letter.lastStatus()).isEqualTo(400);
    assertThat(letter.lastFailure()).isEqualTo(FailureReason.CLIENT_ERROR);
    assertThat(letter.responseExcerpt()).isEqualTo("{\"error\":\"bad payload\"}");
    assertThat(letter.attempts()).isEqualTo(1);
    assertThat(received("/in")).isEqualTo(1);
    assertThat(h.scheduler.pending()).isEmpty();
    assertThat(
            h.metrics.value(
                "alert_history_publishing_dead_letters",
                "target",
                "t",
                "reason",
                "permanent_failure"))
        .isEqualTo(1);

    sink.stubFor(post(urlPathEqualTo("/in")).willReturn(aResponse().withStatus(200)));
    DeliveryEngine.ReplayResult r = h.engine.replay(List.of(letter.id(), "dl-nope"));

    assertThat(r.replayed()).containsExactly(letter.id());
    assertThat(r.notFound()).containsExactly("dl-nope");
    await().atMost(AWAIT).until(() -> h.delivered("t") == 1);
    assertThat(h.deadLetters.size()).isZero();
    assertThat(received("/in")).isEqualTo(2);
    assertThat(h.metrics.value("alert_history_publishing_replays", "target", "t")).isEqualTo(1);
  }

  @Test
  void transientFailuresStopAtMaxAttempts() {
    sink.stubFor(post(urlPathEqualTo("/in")).willReturn(aResponse().withStatus(503)));
    EngineHarness h =
        harness(EngineHarness.settings().maxAttempts(3).build(), webhook("t", sink.port(), "/in"));
    h.engine.dispatch(notification(firing("DiskFull", "critical")));
    nextRetry(h, "t");
    nextRetry(h, "t");

    await().atMost(AWAIT).until(() -> h.deadLetters.size() == 1);
    DeadLetter letter = h.deadLetters.oldest(DeadLetterStore.Filter.ALL, 1).getFirst();
    assertThat(letter.reason()).isEqualTo(DeadLetterReason.ATTEMPTS_EXHAUSTED);
    assertThat(letter.attempts()).isEqualTo(3);
    assertThat(letter.lastFailure()).isEqualTo(FailureReason.SERVER_ERROR);
    assertThat(received("/in")).isEqualTo(3);
  }

  @Test
  void aRetryThatWouldEndPastMaxAgeIsDeadLetteredInstead() {
    sink.stubFor(post(urlPathEqualTo("/in")).willReturn(aResponse().withStatus(500)));
    EngineHarness h =
        harness(
            EngineHarness.settings().maxAge(Duration.ofMillis(3500)).build(),
            webhook("t", sink.port(), "/in"));
    h.engine.dispatch(notification(firing("DiskFull", "critical")));
    // attempts at 0, then 0.5-1 s, then 1.5-3 s; the next backoff (2-4 s) ends past 3.5 s
    nextRetry(h, "t");
    nextRetry(h, "t");

    await().atMost(AWAIT).until(() -> h.deadLetters.size() == 1);
    assertThat(h.deadLetters.oldest(DeadLetterStore.Filter.ALL, 1).getFirst().reason())
        .isEqualTo(DeadLetterReason.MAX_AGE);
    assertThat(received("/in")).isEqualTo(3);
  }

  @Test
  void aDeadTargetOpensItsBreakerWithoutHoldingUpAHealthyOneAndRecoversThroughProbes() {
    sink.stubFor(post(urlPathEqualTo("/dead")).willReturn(aResponse().withStatus(503)));
    sink.stubFor(post(urlPathEqualTo("/ok")).willReturn(aResponse().withStatus(200)));
    DeliverySettings settings =
        EngineHarness.settings()
            .concurrency(1)
            .breakerWindow(4, 4)
            .breakerOpenDuration(Duration.ofSeconds(30))
            .build();
    EngineHarness h =
        harness(settings, webhook("dead", sink.port(), "/dead"), webhook("ok", sink.port(), "/ok"));

    for (int i = 0; i < 10; i++) {
      h.engine.dispatch(notification(firing("Alert" + i, "warning")));
    }

    await().atMost(AWAIT).until(() -> h.delivered("ok") == 10);
    await().atMost(AWAIT).until(() -> h.jobs("dead", JobState.RETRYING) == 4);
    assertThat(h.metrics.value("alert_history_publishing_circuit_state", "target", "dead"))
        .isEqualTo(2);
    assertThat(h.metrics.value("alert_history_publishing_circuit_state", "target", "ok")).isZero();
    // while open, nothing more is sent: retries fall due and wait in the lane
    h.scheduler.advance(Duration.ofSeconds(5));
    assertThat(received("/dead")).isEqualTo(4);
    assertThat(h.jobs("dead", JobState.QUEUED)).isEqualTo(10);
    assertThat(h.deadLetters.size()).isZero();

    sink.stubFor(post(urlPathEqualTo("/dead")).willReturn(aResponse().withStatus(200)));
    h.scheduler.advance(Duration.ofSeconds(24));
    assertThat(received("/dead")).isEqualTo(4);
    h.scheduler.advance(Duration.ofSeconds(2));

    await().atMost(AWAIT).until(() -> h.delivered("dead") == 10);
    assertThat(received("/dead")).isEqualTo(14);
    assertThat(h.metrics.value("alert_history_publishing_circuit_state", "target", "dead"))
        .isZero();
  }

  @Test
  void deliveriesWaitingBehindAnOpenBreakerAreDeadLetteredAtMaxAge() {
    sink.stubFor(post(urlPathEqualTo("/dead")).willReturn(aResponse().withStatus(503)));
    DeliverySettings settings =
        EngineHarness.settings()
            .breakerWindow(2, 2)
            .breakerOpenDuration(Duration.ofMinutes(10))
            .maxAge(Duration.ofMinutes(5))
            .concurrency(1)
            .build();
    EngineHarness h = harness(settings, webhook("dead", sink.port(), "/dead"));
    for (int i = 0; i < 5; i++) {
      h.engine.dispatch(notification(firing("Alert" + i, "warning")));
    }
    await().atMost(AWAIT).until(() -> h.jobs("dead", JobState.RETRYING) == 2);
    h.scheduler.advance(Duration.ofSeconds(2));
    assertThat(h.jobs("dead", JobState.QUEUED)).isEqualTo(5);

    h.scheduler.advance(Duration.ofMinutes(6));

    await().atMost(AWAIT).until(() -> h.deadLetters.size() == 5);
    assertThat(h.deadLetters.oldest(DeadLetterStore.Filter.ALL, 10))
        .extracting(DeadLetter::reason)
        .containsOnly(DeadLetterReason.MAX_AGE);
    assertThat(received("/dead")).isEqualTo(2);
  }

  @Test
  void removingOrDisablingATargetDeadLettersItsQueuedWorkAndDropsItsSeries() {
    sink.stubFor(post(urlPathEqualTo("/a")).willReturn(aResponse().withStatus(200)));
    sink.stubFor(post(urlPathEqualTo("/b")).willReturn(aResponse().withStatus(200)));
    String a =
        """
        {"name": "a", "type": "webhook", "url": "http://127.0.0.1:%d/a", "rate_limit": "1/h"}
        """
            .formatted(sink.port());
    String b =
        """
        {"name": "b", "type": "webhook", "url": "http://127.0.0.1:%d/b", "rate_limit": "1/h"}
        """
            .formatted(sink.port());
    EngineHarness h = harness(a, b);
    for (int i = 0; i < 4; i++) {
      h.engine.dispatch(notification(firing("Alert" + i, "warning")));
    }
    await().atMost(AWAIT).until(() -> h.delivered("a") == 1 && h.delivered("b") == 1);
    assertThat(h.jobs("a", JobState.QUEUED)).isEqualTo(3);

    h.targets(b.replace("\"type\"", "\"enabled\": false, \"type\""));
    h.targets();

    // parked off the intake lock, by a worker
    await()
        .atMost(AWAIT)
        .until(
            () ->
                h.deadLetters.list(query(null, DeadLetterReason.TARGET_REMOVED)).letters().size()
                    == 6);
    assertThat(h.deadLetters.list(query(null, DeadLetterReason.TARGET_REMOVED)).letters())
        .hasSize(6)
        .extracting(DeadLetter::target)
        .containsOnly("a", "b");
    assertThat(h.engine.jobs(null, null, 10).total()).isZero();
    assertThat(h.metrics.anySeriesWith("target", "a")).isFalse();
    assertThat(h.metrics.anySeriesWith("target", "b")).isFalse();
    h.scheduler.advance(Duration.ofHours(2));
    assertThat(received("/a") + received("/b")).isEqualTo(2);
  }

  /** Keeps nothing, like {@link Journal#NONE}, but its first write fails. */
  private static final class FailingOnceJournal extends Journal.Nothing {
    final List<String> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<String> finished = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicBoolean failed =
        new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public java.util.concurrent.CompletableFuture<Void> accept(
        Notification notification, String encoded, List<Delivery> deliveries) {
      deliveries.forEach(d -> accepted.add(d.id()));
      return failed.compareAndSet(false, true)
          ? java.util.concurrent.CompletableFuture.failedFuture(
              new IllegalStateException("disk full"))
          : java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    @Override
    public void finish(String deliveryId) {
      finished.add(deliveryId);
    }
  }

  @Test
  void aNotificationWhoseJournalWriteFailsIsNotSentAndItsRetryIsNotADuplicate() {
    sink.stubFor(post(urlPathEqualTo("/a")).willReturn(aResponse().withStatus(200)));
    FailingOnceJournal journal = new FailingOnceJournal();
    EngineHarness h =
        new EngineHarness(
            EngineHarness.settings().dedupWindow(Duration.ofMinutes(5)).build(),
            journal,
            webhook("a", sink.port(), "/a"));
    harnesses.add(h);
    Notification n = notification(firing("Refused", "critical"));

    assertThat(h.engine.dispatch(n)).isInstanceOf(Dispatcher.Overloaded.class);
    assertThat(h.engine.jobs(null, null, 10).total()).isZero();
    // a write that failed late is taken back out of the journal
    assertThat(journal.finished).containsExactlyElementsOf(journal.accepted);

    // Alertmanager's retry: not dropped by the dedup window, delivered once
    assertThat(h.engine.dispatch(n)).isEqualTo(new Dispatcher.Queued(1));
    await().atMost(AWAIT).until(() -> received("/a") == 1);
    h.scheduler.advance(Duration.ofMinutes(1));
    assertThat(received("/a")).isEqualTo(1);
  }

  private String withFallback(String name, String path, String fallback) {
    return """
        {"name": "%s", "type": "webhook", "url": "http://127.0.0.1:%d%s", "fallback": "%s"}
        """
        .formatted(name, sink.port(), path, fallback);
  }

  /** A target whose filter matches none of the test alerts: it only receives fallbacks. */
  private String onlyFallbacks(String name, String path) {
    return """
        {"name": "%s", "type": "webhook", "url": "http://127.0.0.1:%d%s",
         "filter": ["team=nobody"]}
        """
        .formatted(name, sink.port(), path);
  }

  @Test
  void aDeliveryItsTargetRefusesIsSentOnceToTheFallbackInsteadOfBeingParked() {
    sink.stubFor(post(urlPathEqualTo("/a")).willReturn(aResponse().withStatus(400)));
    sink.stubFor(post(urlPathEqualTo("/b")).willReturn(aResponse().withStatus(200)));
    EngineHarness h = harness(withFallback("a", "/a", "b"), onlyFallbacks("b", "/b"));

    h.engine.dispatch(notification(firing("DiskFull", "critical")));

    await().atMost(AWAIT).until(() -> h.delivered("b") == 1);
    assertThat(received("/a")).isEqualTo(1);
    assertThat(alertnamesReceived("/b")).containsExactly("DiskFull");
    assertThat(h.deadLetters.size()).isZero();
    assertThat(
            h.metrics.value("alert_history_publishing_fallbacks", "target", "a", "fallback", "b"))
        .isEqualTo(1);
    assertThat(h.engine.jobs(null, null, 10).total()).isZero();

    // the fallback target removed: no series names it any more
    assertThat(h.metrics.anySeriesWith("fallback", "b")).isTrue();
    h.targets(withFallback("a", "/a", "b"));
    await().atMost(AWAIT).until(() -> !h.metrics.anySeriesWith("fallback", "b"));
  }

  @Test
  void whenTheFallbackFailsTooTheOriginalIsParkedAfterOneFallbackAttempt() {
    sink.stubFor(post(urlPathEqualTo("/a")).willReturn(aResponse().withStatus(500)));
    sink.stubFor(post(urlPathEqualTo("/b")).willReturn(aResponse().withStatus(503)));
    EngineHarness h =
        harness(
            EngineHarness.settings().maxAttempts(2).build(),
            withFallback("a", "/a", "b"),
            onlyFallbacks("b", "/b"));

    h.engine.dispatch(notification(firing("DiskFull", "critical")));
    await().atMost(AWAIT).until(() -> h.jobs("a", JobState.RETRYING) == 1);
    h.scheduler.advance(h.scheduler.nextDelay());

    await().atMost(AWAIT).until(() -> h.deadLetters.size() == 1);
    DeadLetter letter = h.deadLetters.oldest(DeadLetterStore.Filter.ALL, 1).getFirst();
    assertThat(letter.target()).isEqualTo("a");
    assertThat(letter.reason()).isEqualTo(DeadLetterReason.ATTEMPTS_EXHAUSTED);
    assertThat(letter.lastStatus()).isEqualTo(500);
    assertThat(letter.attempts()).isEqualTo(2);
    assertThat(received("/a")).isEqualTo(2);
    assertThat(received("/b")).isEqualTo(1);
    // the fallback is tried once: no retry is pending for it
    h.scheduler.advance(Duration.ofMinutes(10));
    assertThat(received("/b")).isEqualTo(1);
    assertThat(
            h.metrics.value(
                "alert_history_publishing_dead_letters",
                "target",
                "a",
                "reason",
                "attempts_exhausted"))
        .isEqualTo(1);
  }

  @Test
  void aDisabledFallbackLeavesTheDeliveryParkedAsItsTargetLeftIt() {
    sink.stubFor(post(urlPathEqualTo("/a")).willReturn(aResponse().withStatus(400)));
    EngineHarness h =
        harness(
            withFallback("a", "/a", "b"),
            """
            {"name": "b", "type": "webhook", "url": "http://127.0.0.1:%d/b", "enabled": false}
            """
                .formatted(sink.port()));

    h.engine.dispatch(notification(firing("DiskFull", "critical")));

    await().atMost(AWAIT).until(() -> h.deadLetters.size() == 1);
    DeadLetter letter = h.deadLetters.oldest(DeadLetterStore.Filter.ALL, 1).getFirst();
    assertThat(letter.target()).isEqualTo("a");
    assertThat(letter.reason()).isEqualTo(DeadLetterReason.PERMANENT_FAILURE);
    assertThat(received("/b")).isZero();
    assertThat(
            h.metrics.value("alert_history_publishing_fallbacks", "target", "a", "fallback", "b"))
        .isZero();
  }

  /** A journal whose writes never finish, like a database that stopped answering. */
  private static final class HangingJournal extends Journal.Nothing {
    final List<String> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<String> finished = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public java.util.concurrent.CompletableFuture<Void> accept(
        Notification notification, String encoded, List<Delivery> deliveries) {
      deliveries.forEach(d -> accepted.add(d.id()));
      return new java.util.concurrent.CompletableFuture<>();
    }

    @Override
    public void finish(String deliveryId) {
      finished.add(deliveryId);
    }
  }

  @Test
  void aWebhookWhoseJournalWriteHangsIsRefusedAfterTenSeconds() throws Exception {
    HangingJournal journal = new HangingJournal();
    EngineHarness h =
        new EngineHarness(EngineHarness.settings().build(), journal, webhook("a", 9, "/a"));
    harnesses.add(h);
    assertThat(h.scheduler.pending()).isEmpty();

    var result =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> h.engine.dispatch(notification(firing("Hung", "critical"))),
            task -> Thread.ofVirtual().start(task));
    // the one timer that fails overdue journal writes
    await().atMost(AWAIT).until(() -> !h.scheduler.pending().isEmpty());
    h.scheduler.advance(Duration.ofSeconds(9));
    assertThat(result).isNotDone();

    h.scheduler.advance(Duration.ofSeconds(2));
    assertThat(result.get(AWAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
        .isEqualTo(new Dispatcher.Overloaded(Duration.ofSeconds(5), "the store is unavailable"));
    assertThat(h.engine.jobs(null, null, 10).total()).isZero();
    assertThat(journal.finished).hasSize(1).containsExactlyElementsOf(journal.accepted);
    // with nothing left to watch the timer stops
    assertThat(h.scheduler.pending()).isEmpty();
  }

  private static DeadLetterStore.Query query(String target, DeadLetterReason reason) {
    return new DeadLetterStore.Query(
        new DeadLetterStore.Filter(target, reason, null), null, 0, 1000);
  }

  @Test
  void aChangedTargetAppliesToTheNextAttempt() {
    sink.stubFor(post(urlPathEqualTo("/old")).willReturn(aResponse().withStatus(500)));
    sink.stubFor(post(urlPathEqualTo("/new")).willReturn(aResponse().withStatus(200)));
    EngineHarness h = harness(webhook("t", sink.port(), "/old"));
    h.engine.dispatch(notification(firing("DiskFull", "critical")));
    await().atMost(AWAIT).until(() -> h.jobs("t", JobState.RETRYING) == 1);

    h.targets(
        """
        {"name": "t", "type": "webhook", "url": "http://127.0.0.1:%d/new",
         "headers": {"X-Token": "v2"}}
        """
            .formatted(sink.port()));
    h.scheduler.advance(h.scheduler.nextDelay());

    await().atMost(AWAIT).until(() -> h.delivered("t") == 1);
    assertThat(received("/old")).isEqualTo(1);
    assertThat(
            sink.findAll(postRequestedFor(urlPathEqualTo("/new"))).getFirst().getHeader("X-Token"))
        .isEqualTo("v2");
  }

  @Test
  void dedupWindowDeliversTheSameAlertOncePerTargetUntilTheWindowPasses() {
    sink.stubFor(post(urlPathEqualTo("/a")).willReturn(aResponse().withStatus(200)));
    sink.stubFor(post(urlPathEqualTo("/b")).willReturn(aResponse().withStatus(200)));
    EngineHarness h =
        harness(
            EngineHarness.settings().dedupWindow(Duration.ofMinutes(2)).build(),
            webhook("a", sink.port(), "/a"),
            webhook("b", sink.port(), "/b"));
    Notification n = notification(firing("DiskFull", "critical"), firing("CpuHigh", "warning"));

    assertThat(h.engine.dispatch(n)).isEqualTo(new Dispatcher.Queued(2));
    assertThat(h.engine.dispatch(n)).isEqualTo(new Dispatcher.Queued(0));
    // a group that adds one alert sends only the new one
    Notification grown =
        notification(
            firing("DiskFull", "critical"),
            firing("CpuHigh", "warning"),
            firing("Oom", "critical"));
    assertThat(h.engine.dispatch(grown)).isEqualTo(new Dispatcher.Queued(2));
    // resolved is another status: not a duplicate
    assertThat(h.engine.dispatch(notification(resolved("DiskFull", "critical"))))
        .isEqualTo(new Dispatcher.Queued(2));

    await().atMost(AWAIT).until(() -> h.delivered("a") == 3 && h.delivered("b") == 3);
    assertThat(alertnamesReceived("/a"))
        .containsExactlyInAnyOrder("DiskFull", "CpuHigh", "Oom", "DiskFull");
    assertThat(h.metrics.value("alert_history_publishing_deduplicated_alerts", "target", "a"))
        .isEqualTo(4);

    h.scheduler.advance(Duration.ofMinutes(2));
    assertThat(h.engine.dispatch(n)).isEqualTo(new Dispatcher.Queued(2));
    await().atMost(AWAIT).until(() -> h.delivered("a") == 4 && h.delivered("b") == 4);
  }

  @Test
  void aLaneSendsCriticalFiringFirstThenOtherFiringThenResolvedAndInfo() {
    sink.stubFor(post(urlPathEqualTo("/in")).willReturn(aResponse().withStatus(200)));
    EngineHarness h =
        harness(
            """
            {"name": "t", "type": "webhook", "url": "http://127.0.0.1:%d/in", "rate_limit": "1/s"}
            """
                .formatted(sink.port()));
    h.engine.dispatch(notification(firing("Head", "warning")));
    h.engine.dispatch(notification(resolved("Resolved", "critical")));
    h.engine.dispatch(notification(firing("Info", "info")));
    h.engine.dispatch(notification(firing("Warning1", "warning")));
    h.engine.dispatch(notification(firing("Critical", "critical")));
    h.engine.dispatch(notification(firing("Warning2", "warning")));

    for (int sent = 1; sent <= 6; sent++) {
      int expected = sent;
      await().atMost(AWAIT).until(() -> h.delivered("t") == expected);
      h.scheduler.advance(Duration.ofSeconds(1));
    }

    assertThat(alertnamesReceived("/in"))
        .containsExactly("Head", "Critical", "Warning1", "Warning2", "Resolved", "Info");
    assertThat(h.metrics.value("alert_history_publishing_pacer_waits", "target", "t")).isEqualTo(5);
  }

  @Test
  void perAlertFormatsSendOneRequestPerAlert() {
    sink.stubFor(post(urlPathEqualTo("/pd")).willReturn(aResponse().withStatus(202)));
    PayloadFormatter pagerduty =
        new PayloadFormatter() {
          @Override
          public PayloadFormat format() {
            return PayloadFormat.PAGERDUTY;
          }

          @Override
          public byte[] render(Notification n, List<Alert> alerts) {
            return new WebhookFormatter(PayloadFormat.WEBHOOK).render(n, alerts);
          }

          @Override
          public boolean perAlert() {
            return true;
          }
        };
    EngineHarness h =
        new EngineHarness(
            EngineHarness.settings().build(),
            new Formatters(List.of(pagerduty)),
            """
            {"name": "pd", "type": "pagerduty", "url": "http://127.0.0.1:%d/pd",
             "routing_key": "R0UT1NG", "rate_limit": "1000/s"}
            """
                .formatted(sink.port()));
    harnesses.add(h);

    Dispatcher.Result r =
        h.engine.dispatch(
            notification(firing("A", "critical"), firing("B", "warning"), resolved("C", "info")));

    assertThat(r).isEqualTo(new Dispatcher.Queued(3));
    await().atMost(AWAIT).until(() -> h.delivered("pd") == 3);
    assertThat(alertnamesReceived("/pd")).containsExactlyInAnyOrder("A", "B", "C");
  }

  @Test
  void aFullLaneRefusesTheWholeNotificationAndTakesNothing() {
    sink.stubFor(post(urlPathEqualTo("/a")).willReturn(aResponse().withStatus(200)));
    sink.stubFor(post(urlPathEqualTo("/b")).willReturn(aResponse().withStatus(200)));
    EngineHarness h =
        harness(
            EngineHarness.settings().queueCapacity(2).build(),
            """
            {"name": "a", "type": "webhook", "url": "http://127.0.0.1:%d/a", "rate_limit": "1/m"}
            """
                .formatted(sink.port()),
            webhook("b", sink.port(), "/b"));
    assertThat(h.engine.dispatch(notification(firing("One", "warning"))))
        .isEqualTo(new Dispatcher.Queued(2));
    await().atMost(AWAIT).until(() -> h.delivered("a") == 1);
    assertThat(h.engine.dispatch(notification(firing("Two", "warning"))))
        .isEqualTo(new Dispatcher.Queued(2));
    assertThat(h.engine.dispatch(notification(firing("Three", "warning"))))
        .isEqualTo(new Dispatcher.Queued(2));
    await().atMost(AWAIT).until(() -> h.delivered("b") == 3 && h.delivered("a") == 1);

    Dispatcher.Result refused = h.engine.dispatch(notification(firing("Four", "warning")));

    assertThat(refused).isInstanceOf(Dispatcher.Overloaded.class);
    assertThat(((Dispatcher.Overloaded) refused).reason()).contains("\"a\"");
    assertThat(h.engine.jobs("b", null, 10).total()).isZero();
    assertThat(received("/b")).isEqualTo(3);
    // room again once a queued one is sent
    h.scheduler.advance(Duration.ofMinutes(1));
    await().atMost(AWAIT).until(() -> h.delivered("a") == 2);
    assertThat(h.engine.dispatch(notification(firing("Four", "warning"))))
        .isEqualTo(new Dispatcher.Queued(2));
  }
}
