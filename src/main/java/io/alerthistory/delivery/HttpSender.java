package io.alerthistory.delivery;

import io.alerthistory.attempt.AttemptOutcome;
import io.alerthistory.attempt.FailureReason;
import io.alerthistory.format.OutgoingRequest;
import io.alerthistory.format.PayloadFormatter;
import io.alerthistory.format.ReceivedResponse;
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
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Sends the requests formats build with the JDK HTTP client, and lets the format read the answer.
 * URL credentials become a Basic {@code Authorization} header unless the target sets its own.
 */
public final class HttpSender implements Sender {
  /** Enough of an answer for any format to read (Rootly's incident id, Slack's error). */
  static final int MAX_ANSWER_BYTES = 64 * 1024;

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
  public AttemptOutcome send(Target target, OutgoingRequest request, PayloadFormatter format) {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(withoutUserInfo(request.url()))
            .timeout(target.timeout())
            .header("User-Agent", "alert-history")
            .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
    String userInfo = request.url().getUserInfo();
    if (userInfo != null) {
      req.setHeader(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
    }
    for (Map.Entry<String, String> h : request.headers().entrySet()) {
      req.setHeader(h.getKey(), h.getValue());
    }
    try {
      HttpResponse<InputStream> resp =
          client.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
      String body;
      try (InputStream in = resp.body()) {
        body = new String(in.readNBytes(MAX_ANSWER_BYTES), StandardCharsets.UTF_8);
      }
      Map<String, String> headers = new HashMap<>();
      resp.headers().map().forEach((k, v) -> headers.put(k, v.isEmpty() ? "" : v.getFirst()));
      return format.outcome(
          target, request, new ReceivedResponse(resp.statusCode(), headers, body, clock.instant()));
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
