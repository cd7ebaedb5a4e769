package io.alerthistory.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.alerthistory.alert.Notification;
import io.alerthistory.alert.NotificationParser;
import io.alerthistory.format.Formatters;
import io.alerthistory.target.SourceEntry;
import io.alerthistory.target.TargetParser;
import io.alerthistory.target.TargetRegistry;
import io.alerthistory.target.TargetSnapshot;
import io.alerthistory.testing.Resources;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retry and classification over real HTTP; waits between attempts are recorded, not slept. */
class DirectDispatcherTest {
  private final WireMockServer sink =
      new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
  private final PrometheusRegistry metrics = new PrometheusRegistry();
  private final List<Duration> waits = new CopyOnWriteArrayList<>();
  private final TargetRegistry registry = new TargetRegistry();
  private DirectDispatcher dispatcher;

  @BeforeEach
  void setUp() throws Exception {
    sink.start();
    var parser = new TargetParser(Formatters.standard().available());
    var doc =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(
                "{\"type\": \"webhook\", \"url\": \"http://127.0.0.1:%d/in\"}"
                    .formatted(sink.port()));
    registry.replace(
        TargetSnapshot.build(
            List.of(new SourceEntry.Declared("t.json", "", "t", doc)),
            parser,
            Clock.systemUTC().instant()));
    dispatcher =
        new DirectDispatcher(
            registry,
            Formatters.standard(),
            new HttpSender(Clock.systemUTC()),
            new LogSender(),
            new DeliveryMetrics(metrics),
            Clock.systemUTC(),
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new Random(7)),
            waits::add,
            4,
            100);
  }

  @AfterEach
  void tearDown() {
    dispatcher.shutdown(Duration.ofSeconds(1));
    sink.stop();
  }

  @Test
  void twoServerErrorsThenSuccessIsDeliveredOnTheThirdAttempt() {
    sink.stubFor(
        post(urlPathEqualTo("/in"))
            .inScenario("flaky")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(500))
            .willSetStateTo("second"));
    sink.stubFor(
        post(urlPathEqualTo("/in"))
            .inScenario("flaky")
            .whenScenarioStateIs("second")
            .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "7"))
            .willSetStateTo("third"));
    sink.stubFor(
        post(urlPathEqualTo("/in"))
            .inScenario("flaky")
            .whenScenarioStateIs("third")
            .willReturn(aResponse().withStatus(200)));

    assertThat(dispatcher.dispatch(firing())).isEqualTo(new Dispatcher.Queued(1));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> count("alert_history_publishing_deliveries", "outcome", "delivered") == 1);
    sink.verify(3, postRequestedFor(urlPathEqualTo("/in")));
    assertThat(count("alert_history_publishing_delivery_failures", "reason", "serverError"))
        .isEqualTo(2);
    // first wait: jittered within [0.5s, 1s]; second: the target's Retry-After of 7s wins
    assertThat(waits).hasSize(2);
    assertThat(waits.get(0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    assertThat(waits.get(1)).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void clientErrorIsNotRetried() {
    sink.stubFor(
        post(urlPathEqualTo("/in"))
            .willReturn(aResponse().withStatus(400).withBody("invalid_payload")));

    dispatcher.dispatch(firing());

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> count("alert_history_publishing_deliveries", "outcome", "failed") == 1);
    sink.verify(1, postRequestedFor(urlPathEqualTo("/in")));
    assertThat(count("alert_history_publishing_delivery_failures", "reason", "clientError"))
        .isEqualTo(1);
    assertThat(waits).isEmpty();
  }

  @Test
  void givesUpAfterMaxAttempts() {
    sink.stubFor(post(urlPathEqualTo("/in")).willReturn(aResponse().withStatus(502)));

    dispatcher.dispatch(firing());

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> count("alert_history_publishing_deliveries", "outcome", "failed") == 1);
    sink.verify(4, postRequestedFor(urlPathEqualTo("/in")));
    assertThat(waits).hasSize(3);
  }

  @Test
  void fullCapacityRefusesWithoutTakingAnything() {
    DirectDispatcher tiny =
        new DirectDispatcher(
            registry,
            Formatters.standard(),
            (t, b) -> {
              throw new AssertionError("not sent");
            },
            new LogSender(),
            new DeliveryMetrics(new PrometheusRegistry()),
            Clock.systemUTC(),
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), new Random(1)),
            d -> {},
            1,
            0);
    assertThat(tiny.dispatch(firing())).isInstanceOf(Dispatcher.Overloaded.class);
    tiny.shutdown(Duration.ofSeconds(1));
  }

  @Test
  void backoffDoublesUpToTheCap() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new Random(3));
    for (int attempt = 1; attempt <= 10; attempt++) {
      long ceiling = Math.min(60_000, 1000L << (attempt - 1));
      assertThat(b.delay(attempt, null).toMillis()).isBetween(ceiling / 2, ceiling);
    }
  }

  private static Notification firing() {
    var parsed =
        new NotificationParser()
            .parse(
                Resources.repoFile("examples/alerts/firing.json").getBytes(StandardCharsets.UTF_8));
    return ((NotificationParser.Parsed) parsed).notification();
  }

  private double count(String name, String label, String value) {
    return metrics.scrape().stream()
        .filter(s -> s.getMetadata().getName().equals(name))
        .flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
        .filter(d -> value.equals(d.getLabels().get(label)))
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
        .sum();
  }
}
