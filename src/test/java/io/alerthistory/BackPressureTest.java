package io.alerthistory;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.alerthistory.testing.TestAlerts.body;
import static io.alerthistory.testing.TestAlerts.firing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.alerthistory.json.Json;
import io.alerthistory.testing.RunningApp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full lane makes the webhook answer 503 without taking anything; nothing accepted is lost. */
class BackPressureTest {
  @TempDir Path targets;

  @Test
  void aFullLaneAnswers503AndEveryAcceptedAlertIsDelivered() throws Exception {
    WireMockServer sink = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    sink.start();
    sink.stubFor(
        post(urlPathEqualTo("/slow")).willReturn(aResponse().withStatus(200).withFixedDelay(150)));
    sink.stubFor(post(urlPathEqualTo("/fast")).willReturn(aResponse().withStatus(200)));
    Files.writeString(
        targets.resolve("slow.json"),
        "{\"type\": \"webhook\", \"url\": \"http://127.0.0.1:%d/slow\"}".formatted(sink.port()));
    Files.writeString(
        targets.resolve("fast.json"),
        "{\"type\": \"webhook\", \"url\": \"http://127.0.0.1:%d/fast\"}".formatted(sink.port()));
    List<String> accepted = new ArrayList<>();
    List<HttpResponse<String>> refused = new ArrayList<>();
    try (RunningApp app =
        RunningApp.start(
            targets, Map.of("DELIVERY_QUEUE_CAPACITY", "3", "DELIVERY_CONCURRENCY", "1"))) {
      for (int i = 0; i < 12; i++) {
        String name = "Alert" + i;
        HttpResponse<String> res = app.postJson("/webhook", body(firing(name, "critical")));
        if (res.statusCode() == 200) {
          accepted.add(name);
        } else {
          refused.add(res);
        }
      }

      assertThat(accepted).hasSizeGreaterThanOrEqualTo(3);
      assertThat(refused).isNotEmpty();
      for (HttpResponse<String> r : refused) {
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(Json.MAPPER.readTree(r.body()).get("message").asText())
            .matches("the queue of target \"(slow|fast)\" is full \\(3 deliveries\\)");
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> received(sink, "/slow").size() == accepted.size());
      assertThat(received(sink, "/slow")).containsExactlyInAnyOrderElementsOf(accepted);
      // all or nothing: the fast target got exactly the accepted notifications too
      assertThat(received(sink, "/fast")).containsExactlyInAnyOrderElementsOf(accepted);
      String delivered =
          "alert_history_publishing_deliveries_total{outcome=\"delivered\",target=\"slow\","
              + "type=\"webhook\"} "
              + accepted.size()
              + ".0";
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> app.get("/metrics").body().contains(delivered));
    } finally {
      sink.stop();
    }
  }

  private static List<String> received(WireMockServer sink, String path) {
    return sink.findAll(postRequestedFor(urlPathEqualTo(path))).stream()
        .map(
            r -> {
              try {
                return Json.MAPPER.readTree(r.getBodyAsString()).at("/alerts/0/alertname").asText();
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            })
        .toList();
  }
}
