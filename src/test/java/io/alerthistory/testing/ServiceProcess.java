package io.alerthistory.testing;

import static org.awaitility.Awaitility.await;

import io.alerthistory.App;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The service as a real child JVM on a free loopback port, for signal and crash tests. */
public final class ServiceProcess implements AutoCloseable {
  private final Process process;
  private final URI base;
  private final HttpClient client = HttpClient.newHttpClient();

  private ServiceProcess(Process process, URI base) {
    this.process = process;
    this.base = base;
  }

  /**
   * Starts {@link App} with the test class path and {@code env} on top of loopback and a free port;
   * its output goes to {@code log}.
   */
  public static ServiceProcess start(Map<String, String> env, Path log) throws IOException {
    int port = freePort();
    ProcessBuilder pb =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElseThrow(),
                "-cp",
                System.getProperty("java.class.path"),
                App.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> all = new HashMap<>(env);
    all.put("HTTP_HOST", "127.0.0.1");
    all.put("HTTP_PORT", String.valueOf(port));
    pb.environment().putAll(all);
    return new ServiceProcess(pb.start(), URI.create("http://127.0.0.1:" + port));
  }

  public Process process() {
    return process;
  }

  public URI base() {
    return base;
  }

  /** Waits until {@code /readyz} answers 200. */
  public ServiceProcess awaitReady(Duration atMost) {
    await()
        .atMost(atMost)
        .ignoreExceptions()
        .until(
            () ->
                client
                        .send(
                            HttpRequest.newBuilder(base.resolve("/readyz")).build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200);
    return this;
  }

  /** POSTs a JSON body and returns the status; safe to call from several threads. */
  public int postJson(String path, String body) throws IOException, InterruptedException {
    return client
        .send(
            HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Kills the process if it still runs. */
  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }
}
