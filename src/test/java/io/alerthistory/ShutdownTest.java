package io.alerthistory;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.alerthistory.testing.Resources;
import io.alerthistory.testing.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as a real process: SIGTERM with a delivery stuck in flight exits 0 within
 * SHUTDOWN_TIMEOUT.
 */
class ShutdownTest {
  @TempDir Path targets;

  @Test
  void sigtermStopsWithinTheShutdownTimeoutAndExitsZero() throws Exception {
    WireMockServer slow = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    slow.start();
    slow.stubFor(
        post(urlPathEqualTo("/slow"))
            .willReturn(aResponse().withStatus(200).withFixedDelay(30_000)));
    Files.writeString(
        targets.resolve("slow.json"),
        "{\"type\": \"webhook\", \"url\": \"http://127.0.0.1:%d/slow\", \"timeout\": \"60s\"}"
            .formatted(slow.port()));
    ServiceProcess service =
        ServiceProcess.start(
            Map.of(
                "TARGETS_DIR",
                targets.toString(),
                "DATA_DIR",
                targets.resolve("data").toString(),
                "SHUTDOWN_TIMEOUT",
                "2s",
                "LOG_FORMAT",
                "text"),
            targets.resolve("service.log"));
    try (service) {
      URI base = service.base();
      service.awaitReady(Duration.ofSeconds(20));
      assertThat(service.postJson("/webhook", Resources.repoFile("examples/alerts/firing.json")))
          .isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> slow.findAll(postRequestedFor(urlPathEqualTo("/slow"))).size() == 1);

      long start = System.nanoTime();
      service.process().destroy(); // SIGTERM
      assertThat(service.process().waitFor(10, TimeUnit.SECONDS)).as("exited").isTrue();
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(service.process().exitValue()).isZero();
      assertThat(took)
          .isGreaterThanOrEqualTo(Duration.ofSeconds(2))
          .isLessThan(Duration.ofSeconds(6));
      List<String> log = Files.readAllLines(targets.resolve("service.log"));
      assertThat(String.join("\n", log))
          .contains("abandoning deliveries in flight")
          .contains("stopped");
      assertThat(refused(base)).isTrue();
    } finally {
      slow.stop();
    }
  }

  private static boolean refused(URI base) {
    try (var socket = new java.net.Socket(base.getHost(), base.getPort())) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
