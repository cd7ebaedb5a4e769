package io.alerthistory.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.alerthistory.delivery.EngineHarness.webhook;
import static io.alerthistory.testing.TestAlerts.firing;
import static io.alerthistory.testing.TestAlerts.notification;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.alerthistory.format.Formatters;
import io.alerthistory.json.Json;
import io.alerthistory.target.TargetRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real time: a slow target's backlog does not delay a fast target's deliveries. */
class LaneIsolationTest {
  private final WireMockServer sink =
      new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(40));
  private DeliveryEngine engine;

  @AfterEach
  void stop() {
    if (engine != null) {
      engine.shutdown(Duration.ofMillis(200));
    }
    sink.stop();
  }

  @Test
  void aFastTargetKeepsItsLatencyWhileASlowOneIsLoaded() throws Exception {
    sink.start();
    sink.stubFor(
        post(urlPathEqualTo("/slow")).willReturn(aResponse().withStatus(200).withFixedDelay(5000)));
    sink.stubFor(post(urlPathEqualTo("/fast")).willReturn(aResponse().withStatus(200)));
    TargetRegistry registry = new TargetRegistry();
    registry.replace(
        EngineHarness.snapshot(
            Formatters.standard(),
            Instant.now(),
            webhook("slow", sink.port(), "/slow"),
            webhook("fast", sink.port(), "/fast")));
    engine =
        EngineHarness.realTime(registry, new PrometheusRegistry(), DeliverySettings.defaults());
    // warm up connections and code paths
    for (int i = 0; i < 5; i++) {
      engine.dispatch(notification(firing("Warmup" + i, "warning")));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> fastReceived().size() == 5);

    // notifications arrive every 10 ms, as from a busy Alertmanager
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    int n = 50;
    AtomicInteger next = new AtomicInteger();
    List<Dispatcher.Result> results = new CopyOnWriteArrayList<>();
    ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
    load.scheduleAtFixedRate(
        () -> {
          int i = next.getAndIncrement();
          if (i < n) {
            String name = "Alert" + i;
            sentAt.put(name, System.currentTimeMillis());
            results.add(engine.dispatch(notification(firing(name, "warning"))));
          }
        },
        0,
        10,
        TimeUnit.MILLISECONDS);
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> fastReceived().size() == 5 + n);
    } finally {
      load.shutdownNow();
    }
    assertThat(results).hasSize(n).containsOnly(new Dispatcher.Queued(2));
    List<Long> latencies = new ArrayList<>();
    for (var r : fastReceived()) {
      String name = Json.MAPPER.readTree(r.getBodyAsString()).at("/alerts/0/alertname").asText();
      if (sentAt.containsKey(name)) {
        latencies.add(r.getLoggedDate().getTime() - sentAt.get(name));
      }
    }
    latencies.sort(null);
    long p99 = latencies.get((int) Math.ceil(0.99 * latencies.size()) - 1);
    assertThat(latencies).hasSize(n);
    // the figure is the benchmark of docs/benchmarks.md; the test asserts no time
    System.out.printf("fast target while the slow one is loaded: p99 %d ms over %d%n", p99, n);
    // every fast delivery arrived while the slow target had not answered one request (each takes
    // 5 s): none of its deliveries is finished, 4 are in flight and the rest queued
    assertThat(engine.jobs("slow", null, 1).total()).isEqualTo(5 + n);
    assertThat(engine.jobs("slow", JobState.IN_FLIGHT, 10).total()).isEqualTo(4);
    assertThat(sink.findAll(postRequestedFor(urlPathEqualTo("/slow")))).hasSizeLessThanOrEqualTo(4);
  }

  private List<com.github.tomakehurst.wiremock.verification.LoggedRequest> fastReceived() {
    return sink.findAll(postRequestedFor(urlPathEqualTo("/fast")));
  }
}
