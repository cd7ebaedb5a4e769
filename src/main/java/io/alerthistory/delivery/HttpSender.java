package io.alerthistory.delivery;

import io.alerthistory.target.Redaction;
import io.alerthistory.target.Target;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * POSTs JSON bodies with the JDK HTTP client; only a bounded, scrubbed excerpt of answers is kept.
 */
public final class HttpSender implements Sender {
  static final int EXCERPT_BYTES = 512;

  private final HttpClient client;
  private final Clock clock;

  public HttpSender(Clock clock) {
    this.clock = clock;
    this.client =
        HttpClient.newBuilder()
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .connectTimeout(java.time.Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** URL credentials become a Basic {@code Authorization} header; explicit headers win. */
  private static URI withoutUserInfo(URI url) {
    if (url.getRawUserInfo() == null) {
      return url;
    }
    try {
      return new URI(
          url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), url.getQuery(), null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("target URL cannot be rebuilt", e);
    }
  }

  @Override
  public AttemptOutcome send(Target target, byte[] body) {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(withoutUserInfo(target.url()))
            .timeout(target.timeout())
            .header("Content-Type", "application/json")
            .header("User-Agent", "alert-history")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    String userInfo = target.url().getUserInfo();
    if (userInfo != null) {
      req.setHeader(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
    }
    for (Map.Entry<String, String> h : target.headers().entrySet()) {
      req.setHeader(h.getKey(), h.getValue());
    }
    try {
      HttpResponse<InputStream> resp =
          client.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
      String excerpt;
      try (InputStream in = resp.body()) {
        excerpt = new String(in.readNBytes(EXCERPT_BYTES), StandardCharsets.UTF_8);
      }
      return ResponseClassifier.classify(
          resp.statusCode(),
          resp.headers().firstValue("Retry-After").orElse(null),
          Redaction.scrub(excerpt, target.secrets()),
          clock);
    } catch (HttpTimeoutException e) {
      return new AttemptOutcome.Retry(
          FailureReason.TIMEOUT, 0, null, "no answer within " + target.timeout());
    } catch (IOException e) {
      return new AttemptOutcome.Retry(
          FailureReason.NETWORK,
          0,
          null,
          Redaction.scrub(String.valueOf(e.getMessage()), target.secrets()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new AttemptOutcome.Retry(FailureReason.NETWORK, 0, null, "interrupted");
    }
  }
}
