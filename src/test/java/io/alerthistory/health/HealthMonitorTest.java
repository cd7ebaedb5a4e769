package io.alerthistory.health;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.alerthistory.stats.Fixtures;
import io.alerthistory.target.Target;
import io.alerthistory.target.TargetRegistry;
import io.alerthistory.testing.MutableClock;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Health transitions against a real HTTP target on loopback, with a test-driven clock. */
class HealthMonitorTest {
  private static final Duration SLOW = Duration.ofMillis(300);

  private final WireMockServer server = new WireMockServer(options().dynamicPort());
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final PrometheusRegistry metrics = new PrometheusRegistry();
  private TargetRegistry registry;
  private HealthMonitor monitor;

  @BeforeEach
  void start() {
    server.start();
    up();
    Target hook =
        Fixtures.webhook(
            "hook", "http://user:pa55word@127.0.0.1:" + server.port() + "/hook?token=t0ken");
    registry = Fixtures.registry(clock.instant(), hook, Fixtures.log("audit"));
    monitor =
        new HealthMonitor(
            registry,
            new NetworkProber(Duration.ofSeconds(2)),
            HealthSettings.defaults().withSlowThreshold(SLOW),
            clock,
            Fixtures.IDLE,
            metrics);
  }

  @AfterEach
  void stop() {
    monitor.stop(Duration.ofSeconds(1));
    server.stop();
  }

  private void up() {
    server.resetAll();
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(404)));
  }

  private void slow() {
    server.resetAll();
    server.stubFor(
        any(anyUrl())
            .willReturn(aResponse().withStatus(200).withFixedDelay(SLOW.toMillisPart() + 200)));
  }

  private void down() {
    server.resetAll();
    server.stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
  }

  private TargetHealth round() {
    clock.advance(Duration.ofMinutes(2));
    monitor.runRound();
    return monitor.get("hook").orElseThrow();
  }

  @Test
  void unknownUntilChecked() {
    TargetHealth h = monitor.get("hook").orElseThrow();
    assertThat(h.status()).isEqualTo(HealthStatus.UNKNOWN);
    assertThat(h.lastCheck()).isNull();
  }

  @Test
  void healthySlowDownAndBackAgain() {
    TargetHealth h = round();
    assertThat(h.status()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(h.latencyMs()).isLessThan(300.0);
    Instant healthySince = h.since();

    slow();
    h = round();
    assertThat(h.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(h.latencyMs()).isGreaterThanOrEqualTo(300.0);
    assertThat(h.since()).isAfter(healthySince);

    up();
    assertThat(round().status()).isEqualTo(HealthStatus.HEALTHY);

    down();
    h = round();
    assertThat(h.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(h.consecutiveFailures()).isEqualTo(1);
    Instant degradedSince = h.since();
    h = round();
    assertThat(h.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(h.since()).isEqualTo(degradedSince);
    h = round();
    assertThat(h.status()).isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(h.consecutiveFailures()).isEqualTo(3);
    assertThat(h.lastError()).contains("127.0.0.1:" + server.port());
    assertThat(h.lastError()).doesNotContain("pa55word").doesNotContain("t0ken");

    up();
    h = round();
    assertThat(h.status()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(h.consecutiveFailures()).isZero();
    assertThat(h.since()).isEqualTo(clock.instant());
  }

  @Test
  void staleAfterTenMinutesWithoutNews() {
    assertThat(round().status()).isEqualTo(HealthStatus.HEALTHY);
    Instant last = clock.instant();
    clock.advance(Duration.ofMinutes(10));
    assertThat(monitor.status("hook")).isEqualTo(HealthStatus.HEALTHY);
    clock.advance(Duration.ofSeconds(1));
    TargetHealth h = monitor.get("hook").orElseThrow();
    assertThat(h.status()).isEqualTo(HealthStatus.UNKNOWN);
    assertThat(h.since()).isEqualTo(last.plus(Duration.ofMinutes(10)));
    // A real delivery counts as news.
    monitor.observedSuccess("hook");
    assertThat(monitor.status("hook")).isEqualTo(HealthStatus.HEALTHY);
  }

  @Test
  void passiveOutcomesMoveTheStatusToo() {
    monitor.observedAttempt("hook", Duration.ofMillis(10).toNanos());
    monitor.observedSuccess("hook");
    assertThat(monitor.status("hook")).isEqualTo(HealthStatus.HEALTHY);
    monitor.observedAttempt("hook", SLOW.toNanos());
    monitor.observedSuccess("hook");
    assertThat(monitor.status("hook")).isEqualTo(HealthStatus.DEGRADED);
    for (int i = 0; i < 3; i++) {
      monitor.observedFailure("hook", "delivery failed: timeout");
    }
    assertThat(monitor.status("hook")).isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(monitor.get("hook").orElseThrow().lastError()).isEqualTo("delivery failed: timeout");
  }

  @Test
  void refusedConnectionIsAFailureAndLogTargetsAreAlwaysHealthy() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Fixtures.replace(
        registry,
        clock.instant(),
        Fixtures.webhook("gone", "http://127.0.0.1:" + closed + "/"),
        Fixtures.log("audit"));
    monitor.runRound();
    assertThat(monitor.get("gone").orElseThrow().lastError())
        .isEqualTo("connect to 127.0.0.1:" + closed + ": connection refused");
    assertThat(monitor.status("audit")).isEqualTo(HealthStatus.HEALTHY);
    // "hook" left the registry and is dropped.
    assertThat(monitor.get("hook")).isEmpty();
    assertThat(monitor.checkNow("hook")).isEmpty();
    assertThat(monitor.checkNow("gone").orElseThrow().consecutiveFailures()).isEqualTo(2);
  }

  @Test
  void metricsPassPromtool() throws Exception {
    round();
    down();
    round();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, metrics.scrape());
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text)
        .contains("alert_history_publishing_target_health{target=\"hook\"} 2.0")
        .contains("alert_history_publishing_target_health{target=\"audit\"} 1.0")
        .contains("alert_history_publishing_health_consecutive_failures{target=\"hook\"} 1.0")
        .contains(
            "alert_history_publishing_health_checks_total{result=\"failure\",target=\"hook\"} 1.0")
        .contains(
            "alert_history_publishing_health_checks_total{result=\"success\",target=\"hook\"} 1.0");

    Process promtool =
        new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    promtool.getOutputStream().write(out.toByteArray());
    promtool.getOutputStream().close();
    String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(promtool.exitValue()).as(output).isZero();
  }
}
