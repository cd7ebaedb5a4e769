package io.alerthistory.refresh;

import static io.alerthistory.refresh.FakeTargetSource.declared;
import static io.alerthistory.refresh.FakeTargetSource.logTarget;
import static io.alerthistory.refresh.FakeTargetSource.unreadable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alerthistory.refresh.RefreshStatus.Phase;
import io.alerthistory.target.PayloadFormat;
import io.alerthistory.target.TargetParser;
import io.alerthistory.target.TargetRegistry;
import io.alerthistory.target.TargetSnapshot;
import io.alerthistory.target.source.TargetSourceException.ErrorType;
import io.alerthistory.testing.ManualScheduler;
import io.alerthistory.testing.MutableClock;
import io.alerthistory.testing.Probes;
import io.alerthistory.time.Scheduler;
import io.alerthistory.time.VirtualThreadScheduler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RefreshManagerTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final String ERRORS = "alert_history_publishing_refresh_errors_total";

  private final MutableClock clock = new MutableClock(T0);
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final FakeTargetSource source = new FakeTargetSource(clock);
  private final TargetRegistry registry = new TargetRegistry();
  private final PrometheusRegistry metrics = new PrometheusRegistry();
  private final CountDownLatch release = new CountDownLatch(1);
  private RefreshManager manager;

  @AfterEach
  void tearDown() {
    release.countDown();
    if (manager != null) {
      assertThat(manager.stop(Duration.ofSeconds(5))).isTrue();
    }
  }

  private RefreshManager manager(RefreshSettings settings) {
    return manager(settings, scheduler);
  }

  private RefreshManager manager(RefreshSettings settings, Scheduler s) {
    manager =
        new RefreshManager(
            source,
            new TargetParser(EnumSet.allOf(PayloadFormat.class)),
            registry,
            settings,
            clock,
            s,
            metrics);
    return manager;
  }

  private static RefreshSettings settings(Duration warmup, Duration timeout) {
    RefreshSettings d = RefreshSettings.defaults();
    return new RefreshSettings(
        d.interval(),
        warmup,
        d.maxRetries(),
        d.baseBackoff(),
        d.maxBackoff(),
        d.rateLimit(),
        timeout);
  }

  private double errors(ErrorType type) {
    return Probes.sample(metrics, ERRORS + "{error_type=\"" + type.label() + "\"}");
  }

  private static Instant at(String offset) {
    return T0.plus(Duration.parse("PT" + offset));
  }

  @Test
  void transientFailuresAreRetriedWithDoublingBackoffUntilSuccess() {
    source.entries = List.of(logTarget("a"));
    source.thenFail(ErrorType.SERVER, 4);
    RefreshManager m = manager(RefreshSettings.defaults());

    m.start();
    scheduler.runDue();
    assertThat(source.calls).containsExactly(T0);
    assertThat(m.status().consecutiveFailures()).isEqualTo(1);
    assertThat(m.status().status()).isEqualTo(Phase.FAILED);
    assertThat(m.status().nextRefresh()).isEqualTo(at("30S"));

    scheduler.advance(Duration.ofSeconds(29));
    assertThat(source.calls).hasSize(1);
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(m.status().consecutiveFailures()).isEqualTo(2);
    scheduler.advance(Duration.ofMinutes(1));
    assertThat(m.status().consecutiveFailures()).isEqualTo(3);
    scheduler.advance(Duration.ofMinutes(2));
    assertThat(m.status().consecutiveFailures()).isEqualTo(4);
    assertThat(Probes.sample(metrics, "alert_history_publishing_refresh_consecutive_failures"))
        .isEqualTo(4.0);
    assertThat(registry.isLoaded()).isFalse();
    scheduler.advance(Duration.ofMinutes(4));

    assertThat(source.calls).containsExactly(T0, at("30S"), at("1M30S"), at("3M30S"), at("7M30S"));
    RefreshStatus s = m.status();
    assertThat(s.consecutiveFailures()).isZero();
    assertThat(s.status()).isEqualTo(Phase.SUCCESS);
    assertThat(s.error()).isNull();
    assertThat(s.lastRefresh()).isEqualTo(at("7M30S"));
    assertThat(s.nextRefresh()).isEqualTo(at("12M30S"));
    assertThat(registry.current().targets()).containsOnlyKeys("a");
    assertThat(errors(ErrorType.SERVER)).isEqualTo(4.0);
    assertThat(Probes.sample(metrics, "alert_history_publishing_refresh_consecutive_failures"))
        .isZero();
    assertThat(Probes.sample(metrics, "alert_history_publishing_refresh_total{status=\"failed\"}"))
        .isEqualTo(4.0);
    assertThat(Probes.sample(metrics, "alert_history_publishing_refresh_total{status=\"success\"}"))
        .isEqualTo(1.0);
  }

  @Test
  void retriesStopAfterMaxRetriesAndResumeAtTheNextInterval() {
    source.thenFail(ErrorType.NETWORK, 7);
    RefreshManager m = manager(RefreshSettings.defaults());

    m.start();
    scheduler.runDue();
    scheduler.advance(Duration.ofMinutes(13));

    // 1 attempt + 5 retries (30s, 1m, 2m, 4m, then capped at 5m), then one interval of 5m.
    assertThat(source.calls)
        .containsExactly(T0, at("30S"), at("1M30S"), at("3M30S"), at("7M30S"), at("12M30S"));
    assertThat(m.status().consecutiveFailures()).isEqualTo(6);
    assertThat(m.status().nextRefresh()).isEqualTo(at("17M30S"));
    scheduler.advance(Duration.ofMinutes(4));
    assertThat(source.calls).hasSize(6);
    scheduler.advance(Duration.ofSeconds(30));
    assertThat(source.calls).hasSize(7).last().isEqualTo(at("17M30S"));
    assertThat(m.status().consecutiveFailures()).isEqualTo(7);
    // A failed periodic attempt starts a fresh retry chain at the base backoff.
    assertThat(m.status().nextRefresh()).isEqualTo(at("18M"));
  }

  @Test
  void backoffDoublesFromBaseAndIsCapped() {
    Duration base = Duration.ofSeconds(30);
    Duration max = Duration.ofMinutes(5);
    assertThat(
            List.of(1, 2, 3, 4, 5, 6, 60).stream()
                .map(n -> RefreshManager.backoff(n, base, max))
                .toList())
        .containsExactly(
            Duration.ofSeconds(30),
            Duration.ofMinutes(1),
            Duration.ofMinutes(2),
            Duration.ofMinutes(4),
            Duration.ofMinutes(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(5));
  }

  @Test
  void authFailureIsNotRetriedAndIsCounted() {
    source.thenFail(ErrorType.AUTH, 1);
    RefreshManager m = manager(settings(Duration.ofMinutes(2), Duration.ofSeconds(30)));

    m.start();
    scheduler.runDue();
    assertThat(errors(ErrorType.AUTH)).isEqualTo(1.0);
    assertThat(errors(ErrorType.SERVER)).isZero();
    assertThat(m.status().status()).isEqualTo(Phase.FAILED);
    assertThat(m.status().error()).isEqualTo("listing failed: auth");
    // No retry at the base backoff (30s): the next attempt is the periodic one after warm-up.
    assertThat(m.status().nextRefresh()).isEqualTo(at("2M"));
    scheduler.advance(Duration.ofSeconds(119));
    assertThat(source.calls).containsExactly(T0);
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(source.calls).containsExactly(T0, at("2M"));
    assertThat(m.status().consecutiveFailures()).isZero();
    assertThat(errors(ErrorType.AUTH)).isEqualTo(1.0);
  }

  @Test
  void failuresKeepServingTheLastGoodSnapshot() {
    source.entries = List.of(logTarget("a"), logTarget("b"), unreadable("c"));
    RefreshManager m = manager(RefreshSettings.defaults());
    m.start();
    scheduler.runDue();
    TargetSnapshot good = registry.current();
    assertThat(good.targets()).containsOnlyKeys("a", "b");

    source.entries = List.of();
    source.thenFail(ErrorType.SERVER, 2).thenFail(ErrorType.PARSE, 1);
    scheduler.advance(Duration.ofSeconds(30));
    assertThat(registry.current()).isSameAs(good);
    scheduler.advance(Duration.ofSeconds(30));
    assertThat(registry.current()).isSameAs(good);
    scheduler.advance(Duration.ofMinutes(1));
    assertThat(registry.current()).isSameAs(good);

    RefreshStatus s = m.status();
    assertThat(s.status()).isEqualTo(Phase.FAILED);
    assertThat(s.consecutiveFailures()).isEqualTo(3);
    assertThat(s.error()).isEqualTo("listing failed: parse");
    assertThat(s.targetsValid()).isEqualTo(2);
    assertThat(s.targetsInvalid()).isEqualTo(1);
    assertThat(s.targetsDiscovered()).isEqualTo(3);
    assertThat(s.snapshotAgeSeconds()).isEqualTo(120);
    assertThat(s.lastRefresh()).isEqualTo(at("2M"));
  }

  @Test
  void twoConcurrentManualRefreshesGiveOneStartedAndOneAlreadyRunning() throws Exception {
    RefreshManager m = manager(RefreshSettings.defaults());
    m.start();
    scheduler.runDue();
    source.thenBlock(release);
    CyclicBarrier gate = new CyclicBarrier(2);
    List<RefreshResult> results;
    try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<RefreshResult> a =
          callers.submit(
              () -> {
                gate.await();
                return m.refreshNow();
              });
      Future<RefreshResult> b =
          callers.submit(
              () -> {
                gate.await();
                return m.refreshNow();
              });
      results = List.of(a.get(), b.get());
    }

    assertThat(results)
        .hasOnlyElementsOfTypes(RefreshResult.Started.class, RefreshResult.AlreadyRunning.class);
    RefreshResult.Started started =
        results.stream()
            .filter(RefreshResult.Started.class::isInstance)
            .map(RefreshResult.Started.class::cast)
            .findFirst()
            .orElseThrow();
    RefreshResult.AlreadyRunning running =
        results.stream()
            .filter(RefreshResult.AlreadyRunning.class::isInstance)
            .map(RefreshResult.AlreadyRunning.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(running.startedAt()).isEqualTo(started.startedAt()).isEqualTo(T0);
    assertThat(started.requestId()).isNotBlank();
    assertThat(m.status().status()).isEqualTo(Phase.IN_PROGRESS);
    assertThat(Probes.sample(metrics, "alert_history_publishing_refresh_in_progress"))
        .isEqualTo(1.0);

    release.countDown();
    await().until(() -> m.status().status() == Phase.SUCCESS);
    assertThat(source.calls).hasSize(2);
    assertThat(Probes.sample(metrics, "alert_history_publishing_refresh_in_progress"))
        .isEqualTo(0.0);
  }

  @Test
  void manualRefreshWithinTheRateLimitIsRefusedWithRetryAfter() {
    RefreshManager m = manager(RefreshSettings.defaults());
    m.start();
    scheduler.runDue();

    assertThat(m.refreshNow("req-1")).isEqualTo(new RefreshResult.Started("req-1", T0));
    await().until(() -> source.calls.size() == 2 && m.status().status() == Phase.SUCCESS);

    assertThat(m.refreshNow()).isEqualTo(new RefreshResult.RateLimited(Duration.ofSeconds(60)));
    clock.advance(Duration.ofMillis(20_500));
    assertThat(m.refreshNow()).isEqualTo(new RefreshResult.RateLimited(Duration.ofSeconds(40)));
    clock.advance(Duration.ofMillis(39_400));
    assertThat(m.refreshNow()).isEqualTo(new RefreshResult.RateLimited(Duration.ofSeconds(1)));
    clock.advance(Duration.ofMillis(100));
    assertThat(m.refreshNow("req-2")).isInstanceOf(RefreshResult.Started.class);
    await().until(() -> source.calls.size() == 3);
  }

  @Test
  void aScheduledRefreshInFlightMakesAManualOneAlreadyRunning() throws Exception {
    source.thenBlock(release);
    RefreshManager m = manager(RefreshSettings.defaults());
    m.start();
    Thread startup = Thread.ofVirtual().start(scheduler::runDue);
    await().until(() -> source.calls.size() == 1);

    assertThat(m.refreshNow()).isEqualTo(new RefreshResult.AlreadyRunning(T0));
    release.countDown();
    startup.join();
    assertThat(m.awaitFirstLoad(Duration.ofSeconds(5))).isTrue();
    // The refused call did not use up the rate limit.
    assertThat(m.refreshNow()).isInstanceOf(RefreshResult.Started.class);
  }

  @Test
  void refreshBeforeStartIsRefused() {
    RefreshManager m = manager(RefreshSettings.defaults());
    assertThatThrownBy(m::refreshNow).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void stopDuringAHangingListingReturnsInTimeAndLeavesNoThread() throws Exception {
    source.thenBlock(new CountDownLatch(1));
    RefreshManager m = manager(RefreshSettings.defaults(), new VirtualThreadScheduler("refresh"));
    m.start();
    await().until(() -> source.calls.size() == 1);
    assertThat(Probes.liveThreads("refresh-")).isNotEmpty();

    long begin = System.nanoTime();
    boolean clean = m.stop(Duration.ofSeconds(2));
    Duration took = Duration.ofNanos(System.nanoTime() - begin);

    assertThat(clean).isTrue();
    assertThat(took).isLessThan(Duration.ofSeconds(2));
    assertThat(source.closed).isTrue();
    assertThat(source.listThreads.getFirst().isAlive()).isFalse();
    await().until(() -> Probes.liveThreads("refresh-").isEmpty());
    // Cancelled, not failed: it is not counted as a failure.
    assertThat(m.status().status()).isEqualTo(Phase.IDLE);
    assertThat(m.status().nextRefresh()).isNull();
    assertThat(errors(ErrorType.TIMEOUT)).isZero();
    assertThat(m.awaitFirstLoad(Duration.ZERO)).isFalse();
  }

  @Test
  void stopDuringAHangingManualRefreshReturnsInTimeAndLeavesNoThread() throws Exception {
    RefreshManager m = manager(RefreshSettings.defaults(), new VirtualThreadScheduler("refresh"));
    m.start();
    assertThat(m.awaitFirstLoad(Duration.ofSeconds(5))).isTrue();
    source.thenBlock(new CountDownLatch(1));
    assertThat(m.refreshNow()).isInstanceOf(RefreshResult.Started.class);
    await().until(() -> source.calls.size() == 2);
    assertThat(Probes.liveThreads("refresh-manual-")).hasSize(1);

    long begin = System.nanoTime();
    assertThat(m.stop(Duration.ofSeconds(2))).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(2));

    assertThat(source.listThreads.get(1).isAlive()).isFalse();
    await().until(() -> Probes.liveThreads("refresh-").isEmpty());
    assertThat(m.status().status()).isEqualTo(Phase.SUCCESS);
  }

  @Test
  void realSchedulerRunsTheStartupRefreshAndAwaitFirstLoadWaitsForIt() throws Exception {
    source.entries = List.of(logTarget("a"));
    RefreshManager m = manager(RefreshSettings.defaults(), new VirtualThreadScheduler("refresh"));
    m.start();
    assertThat(m.awaitFirstLoad(Duration.ofSeconds(5))).isTrue();
    assertThat(registry.current().targets()).containsOnlyKeys("a");
    assertThat(m.stop(Duration.ofSeconds(2))).isTrue();
    await().until(() -> Probes.liveThreads("refresh-").isEmpty());
  }

  @Test
  void periodicRefreshStartsAfterWarmupAndRepeatsEveryInterval() {
    RefreshManager m = manager(RefreshSettings.defaults());
    m.start();
    assertThat(m.status().status()).isEqualTo(Phase.IDLE);
    assertThat(m.status().snapshotAgeSeconds()).isEqualTo(-1);
    scheduler.runDue();
    assertThat(m.status().nextRefresh()).isEqualTo(at("30S"));

    scheduler.advance(Duration.ofSeconds(29));
    assertThat(source.calls).containsExactly(T0);
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(source.calls).containsExactly(T0, at("30S"));
    scheduler.advance(Duration.ofMinutes(5));
    assertThat(source.calls).containsExactly(T0, at("30S"), at("5M30S"));
    assertThat(scheduler.pending()).containsExactly(at("10M30S"));
  }

  @Test
  void watchedChangeIsAppliedAtOnce() {
    RefreshManager m = manager(RefreshSettings.defaults());
    m.start();
    scheduler.runDue();
    assertThat(m.status().watching()).isTrue();
    assertThat(m.status().lastChangeAt()).isNull();

    clock.advance(Duration.ofSeconds(7));
    source.emit(List.of(logTarget("new-one"), unreadable("broken")));

    assertThat(registry.current().targets()).containsOnlyKeys("new-one");
    RefreshStatus s = m.status();
    assertThat(s.lastChangeAt()).isEqualTo(at("7S"));
    assertThat(s.targetsValid()).isEqualTo(1);
    assertThat(s.targetsInvalid()).isEqualTo(1);
    assertThat(s.snapshotAgeSeconds()).isZero();
    assertThat(source.calls).hasSize(1);
    assertThat(Probes.sample(metrics, "alert_history_publishing_targets_invalid")).isEqualTo(1.0);
  }

  @Test
  void aListingOlderThanAWatchedChangeDoesNotOverwriteIt() throws Exception {
    source.entries = List.of(logTarget("old"));
    RefreshManager m = manager(RefreshSettings.defaults());
    m.start();
    scheduler.runDue();
    List<io.alerthistory.target.SourceEntry> stale = List.of(logTarget("old"));
    source.then(
        () -> {
          release.await();
          return stale;
        });
    assertThat(m.refreshNow()).isInstanceOf(RefreshResult.Started.class);
    await().until(() -> source.calls.size() == 2);

    source.emit(List.of(logTarget("fresh")));
    release.countDown();
    await().until(() -> m.status().status() == Phase.SUCCESS);

    assertThat(registry.current().targets()).containsOnlyKeys("fresh");
  }

  @Test
  void aHangingListingTimesOut() {
    source.thenBlock(release);
    RefreshManager m = manager(settings(Duration.ofSeconds(30), Duration.ofMillis(200)));
    m.start();

    scheduler.runDue();

    RefreshStatus s = m.status();
    assertThat(s.status()).isEqualTo(Phase.FAILED);
    assertThat(s.error()).isEqualTo("listing targets took longer than 200ms");
    assertThat(errors(ErrorType.TIMEOUT)).isEqualTo(1.0);
    // Timeouts are transient: retried at the base backoff.
    assertThat(s.nextRefresh()).isEqualTo(at("30S"));
    // The listing was interrupted, not left hanging.
    await().until(() -> !source.listThreads.getFirst().isAlive());
  }

  @Test
  void errorsNeverShowSecretValues() {
    source.entries =
        List.of(
            declared(
                "pd",
                "{\"type\":\"pagerduty\",\"url\":\"https://events.example.com/v2/enqueue\","
                    + "\"routing_key\":\"R0UT1NGKEY\"}"));
    RefreshManager m = manager(RefreshSettings.defaults());
    m.start();
    scheduler.runDue();
    assertThat(registry.current().targets()).containsOnlyKeys("pd");
    source.then(
        () -> {
          throw new io.alerthistory.target.source.TargetSourceException(
              "bad answer: R0UT1NGKEY", ErrorType.SERVER, null);
        });
    scheduler.advance(Duration.ofSeconds(30));

    assertThat(m.status().error()).isEqualTo("bad answer: ***");
  }

  @Test
  void metricsUseTheDesignNames() {
    source.entries =
        List.of(
            logTarget("a"),
            declared("off", "{\"type\":\"log\",\"enabled\":false}"),
            unreadable("c"));
    RefreshManager m = manager(RefreshSettings.defaults());
    m.start();
    scheduler.runDue();
    source.thenFail(ErrorType.RATE_LIMITED, 1);
    scheduler.advance(Duration.ofSeconds(30));

    String text = Probes.exposition(metrics);
    assertThat(text)
        .contains("alert_history_publishing_refresh_total{status=\"success\"} 1.0")
        .contains("alert_history_publishing_refresh_total{status=\"failed\"} 1.0")
        .contains(
            "alert_history_publishing_refresh_duration_seconds_bucket{status=\"success\",le=\"0.1\"} 1")
        .contains(
            "alert_history_publishing_refresh_duration_seconds_bucket{status=\"failed\",le=\"60.0\"} 1")
        .contains(ERRORS + "{error_type=\"rate_limited\"} 1.0")
        .contains(ERRORS + "{error_type=\"auth\"} 0.0")
        .contains("alert_history_publishing_refresh_in_progress 0.0")
        .contains("alert_history_publishing_targets{state=\"enabled\",type=\"log\"} 1.0")
        .contains("alert_history_publishing_targets{state=\"disabled\",type=\"log\"} 1.0")
        .contains("alert_history_publishing_targets{state=\"enabled\",type=\"slack\"} 0.0")
        .contains("alert_history_publishing_targets_invalid 1.0");
    assertThat(Probes.sample(metrics, "alert_history_publishing_refresh_last_success_timestamp"))
        .isEqualTo(T0.getEpochSecond());
  }

  @Test
  void statusSerializesWithTheDesignFieldNames() throws Exception {
    RefreshManager m = manager(RefreshSettings.defaults());
    m.start();
    scheduler.runDue();

    // A plain mapper: the shape must not depend on modules or date settings.
    JsonNode json = new ObjectMapper().valueToTree(m.status());

    List<String> names = new java.util.ArrayList<>();
    json.fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .containsExactlyInAnyOrder(
            "status",
            "last_refresh",
            "next_refresh",
            "refresh_duration_ms",
            "targets_discovered",
            "targets_valid",
            "targets_invalid",
            "consecutive_failures",
            "error",
            "source",
            "watching",
            "last_change_at",
            "snapshot_age_seconds");
    assertThat(json.get("status").asText()).isEqualTo("success");
    assertThat(json.get("last_refresh").asText()).isEqualTo("2026-03-01T10:00:00Z");
    assertThat(json.get("last_change_at").isNull()).isTrue();
    assertThat(json.get("source").asText()).isEqualTo("fake");
  }
}
