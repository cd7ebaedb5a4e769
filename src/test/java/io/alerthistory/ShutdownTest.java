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
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    int port = freePort();
    ProcessBuilder pb =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElseThrow(),
                "-cp",
                System.getProperty("java.class.path"),
                App.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(targets.resolve("service.log").toFile());
    pb.environment()
        .putAll(
            java.util.Map.of(
                "HTTP_HOST",
                "127.0.0.1",
                "HTTP_PORT",
                String.valueOf(port),
                "TARGETS_DIR",
                targets.toString(),
                "DATA_DIR",
                targets.resolve("data").toString(),
                "SHUTDOWN_TIMEOUT",
                "2s",
                "LOG_FORMAT",
                "text"));
    Process service = pb.start();
    try {
      HttpClient client = HttpClient.newHttpClient();
      URI base = URI.create("http://127.0.0.1:" + port);
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(
              () ->
                  client
                          .send(
                              HttpRequest.newBuilder(base.resolve("/readyz")).build(),
                              HttpResponse.BodyHandlers.discarding())
                          .statusCode()
                      == 200);
      HttpResponse<String> accepted =
          client.send(
              HttpRequest.newBuilder(base.resolve("/webhook"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          Resources.repoFile("examples/alerts/firing.json")))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(accepted.statusCode()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> slow.findAll(postRequestedFor(urlPathEqualTo("/slow"))).size() == 1);

      long start = System.nanoTime();
      service.destroy(); // SIGTERM
      assertThat(service.waitFor(10, TimeUnit.SECONDS)).as("exited").isTrue();
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(service.exitValue()).isZero();
      assertThat(took)
          .isGreaterThanOrEqualTo(Duration.ofSeconds(2))
          .isLessThan(Duration.ofSeconds(6));
      List<String> log = Files.readAllLines(targets.resolve("service.log"));
      assertThat(String.join("\n", log))
          .contains("abandoning deliveries in flight")
          .contains("stopped");
      assertThat(refused(base)).isTrue();
    } finally {
      service.destroyForcibly();
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

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
