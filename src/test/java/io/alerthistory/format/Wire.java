package io.alerthistory.format;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.alerthistory.attempt.AttemptOutcome;
import io.alerthistory.target.Target;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Sends what a format prepares over real HTTP, as an engine would, and reads the answer back. */
final class Wire implements AutoCloseable {
  final WireMockServer server =
      new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
  private final HttpClient client = HttpClient.newHttpClient();

  Wire() {
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  /** One attempt: prepare, send when there is something to send, classify. */
  AttemptOutcome attempt(
      PayloadFormatter f,
      Target t,
      io.alerthistory.alert.Notification n,
      List<io.alerthistory.alert.Alert> alerts)
      throws Exception {
    return switch (f.prepare(t, n, alerts)) {
      case Prepared.Settled s -> s.outcome();
      case Prepared.Send s -> f.outcome(t, s.request(), send(s.request()));
    };
  }

  ReceivedResponse send(OutgoingRequest r) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(r.url().toString()))
            .method(r.method(), HttpRequest.BodyPublishers.ofByteArray(r.body()));
    r.headers().forEach(b::header);
    HttpResponse<byte[]> resp = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    Map<String, String> headers = new HashMap<>();
    resp.headers().map().forEach((k, v) -> headers.put(k, v.getFirst()));
    return new ReceivedResponse(
        resp.statusCode(), headers, new String(resp.body(), StandardCharsets.UTF_8), Fixtures.NOW);
  }

  @Override
  public void close() {
    server.stop();
  }
}
