package io.alerthistory.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Rootly's incident API on a WireMock server: every create returns one fixed incident id. */
public final class FakeRootly {
  public static final String INCIDENT_ID = "inc-42";

  private final WireMockServer api;

  private FakeRootly(WireMockServer api) {
    this.api = api;
  }

  /** Stubs create and resolve on {@code api}. */
  public static FakeRootly on(WireMockServer api) {
    api.stubFor(
        post(urlPathEqualTo("/v1/incidents"))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withBody(
                        "{\"data\": {\"id\": \"" + INCIDENT_ID + "\", \"type\": \"incidents\"}}")));
    api.stubFor(
        put(urlPathEqualTo(resolvePath())).willReturn(aResponse().withStatus(200).withBody("{}")));
    return new FakeRootly(api);
  }

  private static String resolvePath() {
    return "/v1/incidents/" + INCIDENT_ID + "/resolve";
  }

  /** Writes a rootly target file pointing at the fake, with the given API token. */
  public void writeTarget(Path file, String token) throws IOException {
    Files.writeString(
        file,
        "{\"type\": \"rootly\", \"url\": \"http://127.0.0.1:%d\", \"headers\": {\"Authorization\": \"Bearer %s\"}}"
            .formatted(api.port(), token));
  }

  public int creates() {
    return api.findAll(postRequestedFor(urlPathEqualTo("/v1/incidents"))).size();
  }

  public int resolves() {
    return api.findAll(putRequestedFor(urlPathEqualTo(resolvePath()))).size();
  }
}
