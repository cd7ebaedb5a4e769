package io.alerthistory.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A webhook target on loopback (WireMock) that answers 200 and counts how often each alert
 * fingerprint reached it, for the no-loss and no-duplicate tests.
 */
public final class FingerprintSink implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final WireMockServer server;

  private FingerprintSink(WireMockServer server) {
    this.server = server;
  }

  /** Listens on {@code port}; each answer is delayed {@code delayMs} milliseconds. */
  public static FingerprintSink start(int port, int delayMs) {
    WireMockServer server =
        new WireMockServer(
            options().bindAddress("127.0.0.1").port(port).containerThreads(64).jettyAcceptors(2));
    server.start();
    server.stubFor(
        post(urlPathEqualTo("/sink"))
            .willReturn(aResponse().withStatus(200).withFixedDelay(delayMs)));
    return new FingerprintSink(server);
  }

  /** From now on answers {@code status}, at once. */
  public void answer(int status) {
    server.resetMappings();
    server.stubFor(post(urlPathEqualTo("/sink")).willReturn(aResponse().withStatus(status)));
  }

  /** A target document pointing at a sink on {@code port}. */
  public static String targetJson(int port) {
    return "{\"type\": \"webhook\", \"url\": \"http://127.0.0.1:%d/sink\"}".formatted(port);
  }

  /** How many times each fingerprint was delivered. */
  public Map<String, Integer> counts() {
    Map<String, Integer> counts = new HashMap<>();
    server
        .findAll(postRequestedFor(urlPathEqualTo("/sink")))
        .forEach(
            r -> {
              try {
                for (JsonNode a : JSON.readTree(r.getBodyAsString()).get("alerts")) {
                  counts.merge(a.get("fingerprint").asText(), 1, Integer::sum);
                }
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    return counts;
  }

  public Set<String> delivered() {
    return counts().keySet();
  }

  @Override
  public void close() {
    server.stop();
  }
}
