package io.alerthistory.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alerthistory.delivery.DeliveryEngine;
import io.alerthistory.delivery.DeliverySettings;
import io.alerthistory.delivery.HttpSender;
import io.alerthistory.delivery.InMemoryDeadLetterStore;
import io.alerthistory.delivery.LogSender;
import io.alerthistory.format.Formatters;
import io.alerthistory.health.HealthMonitor;
import io.alerthistory.health.HealthSettings;
import io.alerthistory.health.NetworkProber;
import io.alerthistory.ingest.IngestService;
import io.alerthistory.refresh.RefreshManager;
import io.alerthistory.refresh.RefreshSettings;
import io.alerthistory.stats.DeliveryObserver;
import io.alerthistory.stats.DeliveryStats;
import io.alerthistory.stats.PublishingStats;
import io.alerthistory.stats.StatsSettings;
import io.alerthistory.target.SourceEntry;
import io.alerthistory.target.TargetParser;
import io.alerthistory.target.TargetRegistry;
import io.alerthistory.target.source.TargetSource;
import io.alerthistory.time.ExecutorScheduler;
import io.alerthistory.time.VirtualThreadScheduler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The refresh endpoints over real HTTP, with a source whose listing can be held open. */
class RefreshRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "admin-t0ken";

  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger listings = new AtomicInteger();
  private final HttpClient client = HttpClient.newHttpClient();
  private RefreshManager refresh;
  private HttpServer server;
  private DeliveryEngine engine;

  /** The first listing answers at once; later ones wait for {@link #release}. */
  private final TargetSource source =
      new TargetSource() {
        @Override
        public String name() {
          return "held";
        }

        @Override
        public List<SourceEntry> list() {
          if (listings.incrementAndGet() > 1) {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return List.of();
        }

        @Override
        public void watch(Consumer<List<SourceEntry>> onChange) {}

        @Override
        public boolean watching() {
          return false;
        }

        @Override
        public void close() {}
      };

  @BeforeEach
  void start() throws Exception {
    PrometheusRegistry metrics = new PrometheusRegistry();
    TargetRegistry registry = new TargetRegistry();
    RefreshSettings s = RefreshSettings.defaults();
    refresh =
        new RefreshManager(
            source,
            new TargetParser(Formatters.standard().available()),
            registry,
            new RefreshSettings(
                s.interval(),
                s.warmup(),
                s.maxRetries(),
                s.baseBackoff(),
                s.maxBackoff(),
                Duration.ofMinutes(1),
                Duration.ofSeconds(30)),
            Clock.systemUTC(),
            new VirtualThreadScheduler("refresh"),
            metrics);
    engine =
        new DeliveryEngine(
            registry,
            Formatters.standard(),
            new HttpSender(Clock.systemUTC()),
            new LogSender(),
            metrics,
            Clock.systemUTC(),
            new ExecutorScheduler("delivery-timer"),
            new java.util.Random(1),
            DeliverySettings.defaults(),
            new InMemoryDeadLetterStore(10),
            io.alerthistory.delivery.Journal.NONE,
            DeliveryObserver.NONE);
    HealthMonitor health =
        new HealthMonitor(
            registry,
            new NetworkProber(Duration.ofSeconds(1)),
            HealthSettings.defaults(),
            Clock.systemUTC(),
            new VirtualThreadScheduler("health"),
            metrics);
    server =
        new HttpServer(
                "127.0.0.1",
                0,
                new IngestService(engine, metrics, 1024),
                registry,
                refresh,
                metrics,
                engine,
                health,
                new PublishingStats(
                    new DeliveryStats(Clock.systemUTC()),
                    registry,
                    health,
                    engine,
                    refresh::status,
                    StatsSettings.defaults(),
                    Clock.systemUTC()),
                java.util.Optional::empty,
                TOKEN)
            .start();
    refresh.start();
    assertThat(refresh.awaitFirstLoad(Duration.ofSeconds(10))).isTrue();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop();
    refresh.stop(Duration.ofSeconds(5));
    engine.shutdown(Duration.ofSeconds(1));
  }

  @Test
  void refreshNeedsTheAdminToken() throws Exception {
    HttpResponse<String> res = post("Bearer wrong");
    assertThat(res.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(res.body()).get("error").asText()).isEqualTo("unauthorized");
    assertThat(res.body()).doesNotContain(TOKEN);
    assertThat(post(null).statusCode()).isEqualTo(401);
  }

  @Test
  void twoConcurrentRefreshesGiveOne202AndOne503() throws Exception {
    var first = CompletableFuture.supplyAsync(() -> postQuietly("Bearer " + TOKEN));
    var second = CompletableFuture.supplyAsync(() -> postQuietly("Bearer " + TOKEN));
    List<Integer> codes = List.of(first.get().statusCode(), second.get().statusCode());

    assertThat(codes).containsExactlyInAnyOrder(202, 503);
    HttpResponse<String> accepted = first.get().statusCode() == 202 ? first.get() : second.get();
    HttpResponse<String> busy = first.get().statusCode() == 503 ? first.get() : second.get();
    JsonNode a = JSON.readTree(accepted.body());
    assertThat(a.get("request_id").asText())
        .isEqualTo(accepted.headers().firstValue("X-Request-Id").orElseThrow());
    assertThat(a.has("refresh_started_at")).isTrue();
    JsonNode b = JSON.readTree(busy.body());
    assertThat(b.get("error").asText()).isEqualTo("refresh_in_progress");
    assertThat(b.get("started_at").asText()).isEqualTo(a.get("refresh_started_at").asText());

    JsonNode status = JSON.readTree(get("/api/v2/publishing/targets/status").body());
    assertThat(status.get("status").asText()).isEqualTo("in_progress");
  }

  @Test
  void aSecondRefreshWithinTheRateLimitIs429WithRetryAfter() throws Exception {
    release.countDown();
    assertThat(post("Bearer " + TOKEN).statusCode()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> refresh.status().status().wireName().equals("success") && listings.get() == 2);

    HttpResponse<String> limited = post("Bearer " + TOKEN);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(JSON.readTree(limited.body()).get("error").asText()).isEqualTo("rate_limited");
    assertThat(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow()))
        .isBetween(1, 60);
  }

  @Test
  void statusIsServedWithTheRecordsFieldNames() throws Exception {
    // RefreshManagerTest pins the field list; here the HTTP answer must carry all of them.
    JsonNode status = JSON.readTree(get("/api/v2/publishing/targets/status").body());
    JsonNode record = JSON.valueToTree(refresh.status());
    assertThat(status.fieldNames())
        .toIterable()
        .containsExactlyInAnyOrderElementsOf(record::fieldNames);
    assertThat(status.size()).isEqualTo(13);
    assertThat(status.get("status").asText()).isEqualTo("success");
    assertThat(status.get("source").asText()).isEqualTo("held");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String authorization) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri("/api/v2/publishing/targets/refresh"))
            .POST(HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postQuietly(String authorization) {
    try {
      return post(authorization);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }
}
