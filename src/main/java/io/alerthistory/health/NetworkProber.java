package io.alerthistory.health;

import io.alerthistory.target.Redaction;
import io.alerthistory.target.Target;
import io.alerthistory.target.TargetType;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * A TCP connect to the target's host and port, then {@code HEAD /} on its origin. Any HTTP answer
 * means reachable. Only the origin is requested, so the webhook path, query and credentials are
 * never sent; {@code log} targets are always reachable.
 */
public final class NetworkProber implements Prober {
  private final Duration timeout;
  private final HttpClient client;

  public NetworkProber(Duration timeout) {
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  @Override
  public ProbeResult probe(Target target) {
    if (target.type() == TargetType.LOG || target.url() == null) {
      return ProbeResult.ok(Duration.ZERO);
    }
    URI url = target.url();
    int port = url.getPort() >= 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
    String where = url.getHost() + ":" + port;
    long start = System.nanoTime();
    try {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(url.getHost(), port), (int) timeout.toMillis());
      }
      URI origin = new URI(url.getScheme(), null, url.getHost(), url.getPort(), "/", null, null);
      HttpRequest req =
          HttpRequest.newBuilder(origin)
              .method("HEAD", HttpRequest.BodyPublishers.noBody())
              .timeout(timeout)
              .build();
      client.send(req, HttpResponse.BodyHandlers.discarding());
      return ProbeResult.ok(since(start));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ProbeResult.failed(since(start), "interrupted");
    } catch (Exception e) {
      return ProbeResult.failed(
          since(start), Redaction.scrub(describe(e, where), target.secrets()));
    }
  }

  private String describe(Exception e, String where) {
    return switch (e) {
      case HttpConnectTimeoutException t -> "connect to " + where + ": timed out";
      case HttpTimeoutException t ->
          "no answer from " + where + " within " + timeout.toMillis() + " ms";
      case SocketTimeoutException t -> "connect to " + where + ": timed out";
      case UnknownHostException u -> "unknown host " + where;
      case ConnectException c -> "connect to " + where + ": connection refused";
      case IOException io -> "request to " + where + " failed: " + io.getClass().getSimpleName();
      default -> "probe of " + where + " failed: " + e.getClass().getSimpleName();
    };
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
