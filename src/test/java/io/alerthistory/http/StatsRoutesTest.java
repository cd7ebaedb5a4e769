package io.alerthistory.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alerthistory.attempt.FailureReason;
import io.alerthistory.health.HealthMonitor;
import io.alerthistory.health.HealthSettings;
import io.alerthistory.health.ProbeResult;
import io.alerthistory.stats.DeliveryObserver;
import io.alerthistory.stats.DeliveryStats;
import io.alerthistory.stats.Fixtures;
import io.alerthistory.stats.LaneState;
import io.alerthistory.stats.PublishingStats;
import io.alerthistory.stats.StatsSettings;
import io.alerthistory.target.TargetRegistry;
import io.alerthistory.target.TargetType;
import io.alerthistory.testing.MutableClock;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stats, health and trends endpoints over real HTTP. */
class StatsRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "admin-t0ken";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final HttpClient client = HttpClient.newHttpClient();
  private final PrometheusRegistry prometheus = new PrometheusRegistry();
  private final AtomicBoolean reachable = new AtomicBoolean(true);
  private TargetRegistry registry;
  private HealthMonitor monitor;
  private PublishingStats stats;
  private WebServer server;

  // The engine's counters (delivery/DeliveryMetrics), as it will increment them.
  private final Counter deliveries =
      Counter.builder()
          .name("alert_history_publishing_deliveries_total")
          .help("Deliveries finished.")
          .labelNames("target", "type", "outcome")
          .register(prometheus);
  private final Counter failures =
      Counter.builder()
          .name("alert_history_publishing_delivery_failures_total")
          .help("Failed delivery attempts.")
          .labelNames("target", "reason")
          .register(prometheus);
  private final Counter deadLetters =
      Counter.builder()
          .name("alert_history_publishing_dead_letters_total")
          .help("Dead letters.")
          .labelNames("target")
          .register(prometheus);

  @BeforeEach
  void start() {
    registry =
        Fixtures.registry(
            clock.instant(),
            Fixtures.webhook("hook", "http://127.0.0.1:1/hook"),
            Fixtures.of("chat", TargetType.SLACK, "https://hooks.slack.invalid/services/x"),
            Fixtures.log("audit"));
    monitor =
        new HealthMonitor(
            registry,
            t ->
                reachable.get() || t.type() == TargetType.LOG
                    ? ProbeResult.ok(Duration.ofMillis(3))
                    : ProbeResult.failed(Duration.ofMillis(3), "connect refused"),
            HealthSettings.defaults(),
            clock,
            Fixtures.IDLE,
            prometheus);
    stats =
        new PublishingStats(
            new DeliveryStats(clock),
            registry,
            monitor,
            name ->
                name.equals("hook")
                    ? new LaneState(4, 100, 1500, LaneState.Circuit.CLOSED)
                    : LaneState.IDLE,
            () -> null,
            StatsSettings.defaults(),
            clock);
    AdminAuth auth = new AdminAuth(TOKEN);
    server =
        WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .shutdownHook(false)
            .routing(
                HttpRouting.builder()
                    .register(new StatsRoutes(stats, Duration.ZERO))
                    .register(new HealthRoutes(monitor, auth)))
            .build()
            .start();
    monitor.runRound();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  /** Mixed outcomes over several minutes, reported to the stats and to the engine's counters. */
  private void mixedRun() {
    DeliveryObserver o = stats.observer();
    Random random = new Random(42);
    String[] names = {"hook", "chat", "audit"};
    for (int i = 0; i < 3_000; i++) {
      if (i % 500 == 0) {
        clock.advance(Duration.ofMinutes(7));
      }
      String t = names[random.nextInt(names.length)];
      String type = registry.current().get(t).type().wireName();
      o.attempt(t, 1_000_000);
      int roll = random.nextInt(100);
      if (roll < 80) {
        long latency = (long) (random.nextDouble() * 2e9);
        o.delivered(t, latency);
        deliveries.labelValues(t, type, "delivered").inc();
      } else {
        FailureReason r = FailureReason.values()[random.nextInt(FailureReason.values().length)];
        o.failed(t, r);
        failures.labelValues(t, r.label()).inc();
        if (roll < 85) {
          o.deadLettered(t);
          deadLetters.labelValues(t).inc();
          deliveries.labelValues(t, type, "failed").inc();
        }
      }
    }
  }

  private static double counter(PrometheusRegistry r, String name, String... labels) {
    for (var s : r.scrape()) {
      if (s.getMetadata().getPrometheusName().equals(name.replace("_total", ""))) {
        for (var d : ((CounterSnapshot) s).getDataPoints()) {
          if (d.getLabels().equals(Labels.of(labels))) {
            return d.getValue();
          }
        }
        return 0;
      }
    }
    throw new IllegalArgumentException(name);
  }

  @Test
  void statsAgreeWithTheCountersAfterMixedOutcomes() throws Exception {
    mixedRun();
    JsonNode body = JSON.readTree(get("/api/v2/publishing/stats").body());
    long sumAttempts = 0;
    for (JsonNode row : body.get("targets")) {
      String t = row.get("name").asText();
      String type = row.get("type").asText();
      assertThat(row.get("successes_24h").asDouble())
          .isEqualTo(
              counter(
                  prometheus,
                  "alert_history_publishing_deliveries_total",
                  "outcome",
                  "delivered",
                  "target",
                  t,
                  "type",
                  type));
      for (FailureReason r : FailureReason.values()) {
        assertThat(row.get("failures_by_reason_24h").get(r.label()).asDouble())
            .as(t + " " + r)
            .isEqualTo(
                counter(
                    prometheus,
                    "alert_history_publishing_delivery_failures_total",
                    "reason",
                    r.label(),
                    "target",
                    t));
      }
      assertThat(row.get("dead_letters_24h").asDouble())
          .isEqualTo(
              counter(prometheus, "alert_history_publishing_dead_letters_total", "target", t));
      sumAttempts += row.get("attempts_24h").asLong();

      JsonNode one = JSON.readTree(get("/api/v2/publishing/stats/" + t).body()).get("target");
      assertThat(one).isEqualTo(row);
    }
    assertThat(sumAttempts).isEqualTo(3_000);
    assertThat(body.get("totals").get("attempts_24h").asLong()).isEqualTo(3_000);
    JsonNode hook = JSON.readTree(get("/api/v2/publishing/stats/hook").body());
    assertThat(hook.get("target").get("queue_depth").asInt()).isEqualTo(4);
    assertThat(hook.get("target").get("oldest_queued_age_seconds").asDouble()).isEqualTo(1.5);
    assertThat(hook.get("hourly")).hasSize(24);
    assertThat(hook.get("trend").get("name").asText()).isEqualTo("hook");
  }

  @Test
  void filtersByTypeAndHealth() throws Exception {
    JsonNode slack = JSON.readTree(get("/api/v2/publishing/stats?type=slack").body());
    assertThat(slack.get("targets")).hasSize(1);
    assertThat(slack.get("targets").get(0).get("name").asText()).isEqualTo("chat");

    reachable.set(false);
    monitor.runRound();
    JsonNode degraded = JSON.readTree(get("/api/v2/publishing/stats?status=degraded").body());
    assertThat(degraded.get("targets"))
        .extracting(n -> n.get("name").asText())
        .containsExactlyInAnyOrder("hook", "chat");
    JsonNode trends = JSON.readTree(get("/api/v2/publishing/trends?type=log").body());
    assertThat(trends.get("targets"))
        .extracting(n -> n.get("name").asText())
        .containsExactly("audit");
  }

  @Test
  void badQueryParametersAre400NamingTheParameter() throws Exception {
    for (String path :
        new String[] {
          "/api/v2/publishing/stats?type=fax",
          "/api/v2/publishing/trends?status=sick",
          "/api/v2/publishing/targets/health?status=sick"
        }) {
      HttpResponse<String> res = get(path);
      assertThat(res.statusCode()).as(path).isEqualTo(400);
      JsonNode err = JSON.readTree(res.body());
      assertThat(err.get("error").asText()).isEqualTo("invalid_request");
      String param = path.contains("type=") ? "type" : "status";
      assertThat(err.get("details").get(0).get("field").asText()).isEqualTo(param);
      assertThat(err.get("message").asText()).startsWith(param + " must be one of");
    }
  }

  @Test
  void unknownTargetsAre404WithAJsonError() throws Exception {
    for (String path :
        new String[] {"/api/v2/publishing/stats/nope", "/api/v2/publishing/targets/health/nope"}) {
      HttpResponse<String> res = get(path);
      assertThat(res.statusCode()).as(path).isEqualTo(404);
      assertThat(JSON.readTree(res.body()).get("error").asText()).isEqualTo("not_found");
    }
    assertThat(post("/api/v2/publishing/targets/health/nope/check", TOKEN).statusCode())
        .isEqualTo(404);
  }

  @Test
  void etagAndIfNoneMatch() throws Exception {
    HttpResponse<String> first = get("/api/v2/publishing/stats");
    String etag = first.headers().firstValue("ETag").orElseThrow();
    assertThat(etag).startsWith("\"").endsWith("\"");

    HttpResponse<String> same =
        client.send(
            HttpRequest.newBuilder(uri("/api/v2/publishing/stats"))
                .header("If-None-Match", etag)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(same.statusCode()).isEqualTo(304);
    assertThat(same.body()).isEmpty();
    assertThat(same.headers().firstValue("ETag")).contains(etag);

    stats.observer().delivered("hook", 1_000_000);
    HttpResponse<String> changed =
        client.send(
            HttpRequest.newBuilder(uri("/api/v2/publishing/stats"))
                .header("If-None-Match", etag)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(etag);
  }

  @Test
  void overallHealthIs503WhenUnhealthy() throws Exception {
    HttpResponse<String> ok = get("/api/v2/publishing/health");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(ok.body()).get("status").asText()).isEqualTo("healthy");

    reachable.set(false);
    for (int i = 0; i < 3; i++) {
      monitor.runRound();
    }
    for (String t : new String[] {"hook", "chat"}) {
      for (int i = 0; i < 10; i++) {
        stats.observer().failed(t, FailureReason.SERVER_ERROR);
      }
    }
    HttpResponse<String> bad = get("/api/v2/publishing/health");
    JsonNode body = JSON.readTree(bad.body());
    assertThat(bad.statusCode()).as(bad.body()).isEqualTo(503);
    assertThat(body.get("status").asText()).isEqualTo("unhealthy");
    assertThat(body.get("targets_by_health").get("unhealthy").asInt()).isEqualTo(2);
  }

  @Test
  void healthListOneAndCheckNow() throws Exception {
    JsonNode list = JSON.readTree(get("/api/v2/publishing/targets/health").body());
    assertThat(list.get("targets")).hasSize(3);
    JsonNode hook = JSON.readTree(get("/api/v2/publishing/targets/health/hook").body());
    assertThat(hook.get("status").asText()).isEqualTo("healthy");
    assertThat(hook.has("last_error")).isTrue();

    assertThat(post("/api/v2/publishing/targets/health/hook/check", null).statusCode())
        .isEqualTo(401);
    reachable.set(false);
    HttpResponse<String> checked = post("/api/v2/publishing/targets/health/hook/check", TOKEN);
    assertThat(checked.statusCode()).isEqualTo(200);
    JsonNode h = JSON.readTree(checked.body());
    assertThat(h.get("status").asText()).isEqualTo("degraded");
    assertThat(h.get("consecutive_failures").asInt()).isEqualTo(1);
    assertThat(h.get("last_error").asText()).isEqualTo("connect refused");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }
}
