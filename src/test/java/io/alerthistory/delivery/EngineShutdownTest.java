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
import io.alerthistory.alert.Notification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Shutdown stops intake, drains what it can in time and accounts for the rest. */
class EngineShutdownTest {
  private final WireMockServer sink =
      new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());

  @BeforeEach
  void start() {
    sink.start();
  }

  @AfterEach
  void stop() {
    sink.stop();
  }

  private int received() {
    return sink.findAll(postRequestedFor(urlPathEqualTo("/in"))).size();
  }

  private static List<Notification> dispatch(EngineHarness h, int n) {
    List<Notification> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Notification note = notification(firing("Alert" + i, "warning"));
      assertThat(h.engine.dispatch(note)).isEqualTo(new Dispatcher.Queued(1));
      out.add(note);
    }
    return out;
  }

  private static List<AttemptRecord> attempts(EngineHarness h, List<Notification> sent) {
    return sent.stream()
        .flatMap(n -> h.engine.history(n.alerts().getFirst().fingerprint()).stream())
        .toList();
  }

  @Test
  void deliveriesQueuedAtShutdownAreStillSentWithinTheTimeout() {
    sink.stubFor(
        post(urlPathEqualTo("/in")).willReturn(aResponse().withStatus(200).withFixedDelay(200)));
    EngineHarness h =
        new EngineHarness(
            EngineHarness.settings().concurrency(2).build(), webhook("t", sink.port(), "/in"));
    List<Notification> sent = dispatch(h, 4);

    h.engine.shutdown(Duration.ofSeconds(10));

    assertThat(h.engine.dispatch(notification(firing("Late", "warning"))))
        .isEqualTo(new Dispatcher.Overloaded(Duration.ofSeconds(5), "shutting down"));
    assertThat(h.delivered("t")).isEqualTo(4);
    assertThat(received()).isEqualTo(4);
    assertThat(attempts(h, sent))
        .hasSize(4)
        .extracting(AttemptRecord::outcome)
        .containsOnly("delivered");
    assertThat(h.engine.pending()).isZero();
    assertThat(h.deadLetters.size()).isZero();
  }

  @Test
  void whatIsLeftAtTheTimeoutIsAbandonedAndDeadLetteredWithReasonShutdown() {
    sink.stubFor(
        post(urlPathEqualTo("/in")).willReturn(aResponse().withStatus(200).withFixedDelay(20_000)));
    EngineHarness h =
        new EngineHarness(
            EngineHarness.settings().concurrency(2).build(), webhook("t", sink.port(), "/in"));
    List<Notification> sent = dispatch(h, 3);
    await().atMost(Duration.ofSeconds(10)).until(() -> received() == 2);

    long start = System.nanoTime();
    h.engine.shutdown(Duration.ofMillis(500));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).isBetween(Duration.ofMillis(500), Duration.ofSeconds(3));
    assertThat(h.engine.pending()).isZero();
    assertThat(h.deadLetters.oldest(DeadLetterStore.Filter.ALL, 10))
        .hasSize(3)
        .extracting(DeadLetter::reason)
        .containsOnly(DeadLetterReason.SHUTDOWN);
    assertThat(
            h.metrics.value(
                "alert_history_publishing_dead_letters", "target", "t", "reason", "shutdown"))
        .isEqualTo(3);
    assertThat(h.delivered("t")).isZero();
    // the history shows exactly the two requests the target received, both abandoned
    assertThat(attempts(h, sent))
        .hasSize(received())
        .extracting(AttemptRecord::outcome)
        .containsOnly("abandoned");
  }
}
