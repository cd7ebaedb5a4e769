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

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.alerthistory.alert.Fingerprints;
import io.alerthistory.json.Json;
import io.alerthistory.testing.RunningApp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dead-letter, history and jobs endpoints over HTTP, with ADMIN_TOKEN set. */
class DeliveryApiTest {
  private static final String TOKEN = "adm1n-t0ken";
  private static final String DLQ = "/api/v2/publishing/dlq";
  private static final String API_KEY = "k3y-s3cret-api";

  @TempDir Path targets;
  private final WireMockServer sink =
      new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
  private RunningApp app;

  @BeforeEach
  void start() throws Exception {
    sink.start();
    sink.stubFor(
        post(urlPathEqualTo("/reject"))
            .willReturn(aResponse().withStatus(422).withBody("nope " + API_KEY)));
    sink.stubFor(post(urlPathEqualTo("/paced")).willReturn(aResponse().withStatus(200)));
    Files.writeString(
        targets.resolve("rejecting.json"),
        """
        {"type": "webhook", "url": "http://127.0.0.1:%d/reject", "filter": ["alertname=~Broken.*"],
         "headers": {"X-Api-Key": "%s"}}
        """
            .formatted(sink.port(), API_KEY));
    Files.writeString(
        targets.resolve("paced.json"),
        """
        {"type": "webhook", "url": "http://127.0.0.1:%d/paced", "rate_limit": "1/h",
         "filter": ["alertname=~Paced.*"]}
        """
            .formatted(sink.port()));
    app = RunningApp.start(targets, Map.of("ADMIN_TOKEN", TOKEN));
  }

  @AfterEach
  void stop() {
    app.close();
    sink.stop();
  }

  private static JsonNode json(HttpResponse<String> res) throws Exception {
    return Json.MAPPER.readTree(res.body());
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> res = app.get(path);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return json(res);
  }

  private void postAlert(String name) throws Exception {
    assertThat(app.postJson("/webhook", body(firing(name, "critical"))).statusCode())
        .isEqualTo(200);
  }

  private List<String> ids(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("dead_letters").forEach(d -> out.add(d.get("id").asText()));
    return out;
  }

  private void assertBadParameter(HttpResponse<String> res, String parameter) throws Exception {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
    JsonNode body = json(res);
    assertThat(body.get("error").asText()).isEqualTo("invalid_request");
    assertThat(body.get("details").findValuesAsText("field")).contains(parameter);
  }

  @Test
  void deadLettersAreListedFilteredPagedReplayedAndPurged() throws Exception {
    postAlert("Broken1");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> json(app.get(DLQ)).get("dead_letters").size() == 1);
    postAlert("Broken2");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> json(app.get(DLQ)).get("dead_letters").size() == 2);

    JsonNode all = get(DLQ + "?target=rejecting&reason=permanent_failure");
    JsonNode newest = all.get("dead_letters").get(0);
    assertThat(newest.get("target").asText()).isEqualTo("rejecting");
    assertThat(newest.get("reason").asText()).isEqualTo("permanent_failure");
    assertThat(newest.get("last_failure").asText()).isEqualTo("clientError");
    assertThat(newest.get("last_status").asInt()).isEqualTo(422);
    // the target echoed its key: the excerpt keeps the answer with the secret masked
    assertThat(newest.get("response_excerpt").asText()).isEqualTo("nope ***");
    assertThat(all.toString()).doesNotContain(API_KEY);
    assertThat(newest.get("attempts").asInt()).isEqualTo(1);
    assertThat(newest.get("alerts").get(0).get("alertname").asText()).isEqualTo("Broken2");
    assertThat(all.get("next_cursor")).isNull();
    List<String> both = ids(all);

    JsonNode first = get(DLQ + "?limit=1");
    assertThat(ids(first)).containsExactly(both.get(0));
    JsonNode second = get(DLQ + "?limit=1&cursor=" + first.get("next_cursor").asText());
    assertThat(ids(second)).containsExactly(both.get(1));
    assertThat(second.get("next_cursor")).isNull();
    assertThat(ids(get(DLQ + "?limit=1&offset=1"))).containsExactly(both.get(1));
    assertThat(ids(get(DLQ + "?target=paced"))).isEmpty();
    assertThat(ids(get(DLQ + "?reason=max_age"))).isEmpty();
    assertThat(ids(get(DLQ + "?since=" + Instant.now().plusSeconds(60)))).isEmpty();
    assertThat(ids(get(DLQ + "?since=" + Instant.now().minusSeconds(60)))).hasSize(2);
    assertThat(get(DLQ + "/" + both.get(1)).get("alerts").get(0).get("alertname").asText())
        .isEqualTo("Broken1");

    // replay needs the admin token
    String one = DLQ + "/" + both.get(1) + "/replay";
    HttpResponse<String> anonymous = app.call("POST", one, null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(json(anonymous).get("error").asText()).isEqualTo("unauthorized");
    assertThat(app.call("POST", one, "wrong").statusCode()).isEqualTo(401);
    assertThat(app.call("POST", DLQ + "/replay", null).statusCode()).isEqualTo(401);
    assertThat(app.call("DELETE", DLQ + "?older_than=0s", null).statusCode()).isEqualTo(401);
    HttpResponse<String> unknown = app.call("POST", DLQ + "/dl-nope/replay", TOKEN);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).get("error").asText()).isEqualTo("not_found");

    sink.stubFor(post(urlPathEqualTo("/reject")).willReturn(aResponse().withStatus(200)));
    HttpResponse<String> replayed = app.call("POST", one, TOKEN);
    assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
    assertThat(json(replayed).get("replayed").get(0).asText()).isEqualTo(both.get(1));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> sink.findAll(postRequestedFor(urlPathEqualTo("/reject"))).size() == 3);
    assertThat(ids(get(DLQ))).containsExactly(both.get(0));

    JsonNode byFilter = json(app.call("POST", DLQ + "/replay?target=rejecting", TOKEN));
    assertThat(byFilter.get("replayed").get(0).asText()).isEqualTo(both.get(0));
    assertThat(byFilter.get("not_found")).isEmpty();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> sink.findAll(postRequestedFor(urlPathEqualTo("/reject"))).size() == 4);
    assertThat(ids(get(DLQ))).isEmpty();

    // the history of Broken1: refused once, then delivered by the replay
    String fingerprint = Fingerprints.of(Map.of("alertname", "Broken1", "severity", "critical"));
    JsonNode history = get("/api/v2/alerts/" + fingerprint + "/deliveries");
    assertThat(history.get("fingerprint").asText()).isEqualTo(fingerprint);
    JsonNode attempts = history.get("attempts");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).get("target").asText()).isEqualTo("rejecting");
    assertThat(attempts.get(0).get("status_code").asInt()).isEqualTo(422);
    assertThat(attempts.get(0).get("outcome").asText()).isEqualTo("dead_lettered");
    assertThat(attempts.get(0).get("reason").asText()).isEqualTo("clientError");
    assertThat(attempts.get(0).get("response_excerpt").asText()).isEqualTo("nope ***");
    assertThat(history.toString()).doesNotContain(API_KEY);
    assertThat(attempts.get(0).has("latency_ms")).isTrue();
    assertThat(attempts.get(1).get("outcome").asText()).isEqualTo("delivered");
    assertThat(get("/api/v2/alerts/0000000000000000/deliveries").get("attempts")).isEmpty();

    // purge
    sink.stubFor(post(urlPathEqualTo("/reject")).willReturn(aResponse().withStatus(400)));
    postAlert("Broken3");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> json(app.get(DLQ)).get("dead_letters").size() == 1);
    assertThat(json(app.call("DELETE", DLQ + "?older_than=1h", TOKEN)).get("purged").asInt())
        .isZero();
    HttpResponse<String> purged = app.call("DELETE", DLQ + "?older_than=0s", TOKEN);
    assertThat(purged.statusCode()).isEqualTo(200);
    assertThat(json(purged).get("purged").asInt()).isEqualTo(1);
    assertThat(ids(get(DLQ))).isEmpty();
  }

  @Test
  void badParametersAreRejectedNamingTheParameter() throws Exception {
    assertBadParameter(app.get(DLQ + "?limit=0"), "limit");
    assertBadParameter(app.get(DLQ + "?limit=1001"), "limit");
    assertBadParameter(app.get(DLQ + "?limit=ten"), "limit");
    assertBadParameter(app.get(DLQ + "?offset=-1"), "offset");
    assertBadParameter(app.get(DLQ + "?since=yesterday"), "since");
    assertBadParameter(app.get(DLQ + "?reason=bogus"), "reason");
    assertBadParameter(app.get(DLQ + "?cursor=!!"), "cursor");
    assertBadParameter(app.get(DLQ + "?cursor=1&offset=2"), "offset");
    assertBadParameter(app.call("POST", DLQ + "/replay?since=nope", TOKEN), "since");
    assertBadParameter(app.call("DELETE", DLQ, TOKEN), "older_than");
    assertBadParameter(app.call("DELETE", DLQ + "?older_than=forever", TOKEN), "older_than");
    assertBadParameter(app.get("/api/v2/publishing/jobs?state=sleeping"), "state");
    assertBadParameter(app.get("/api/v2/publishing/jobs?limit=0"), "limit");
    // every bad parameter is named at once
    HttpResponse<String> several = app.get(DLQ + "?limit=0&since=x&reason=y");
    assertThat(json(several).get("details").findValuesAsText("field"))
        .containsExactlyInAnyOrder("limit", "since", "reason");
  }

  @Test
  void jobsListQueuedAndInFlightDeliveries() throws Exception {
    postAlert("Paced1");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> sink.findAll(postRequestedFor(urlPathEqualTo("/paced"))).size() == 1);
    postAlert("Paced2");
    postAlert("Paced3");

    JsonNode jobs = get("/api/v2/publishing/jobs?target=paced&state=queued");
    assertThat(jobs.get("total").asInt()).isEqualTo(2);
    JsonNode job = jobs.get("jobs").get(0);
    assertThat(job.get("target").asText()).isEqualTo("paced");
    assertThat(job.get("state").asText()).isEqualTo("queued");
    assertThat(job.get("priority").asText()).isEqualTo("critical");
    assertThat(job.get("attempts").asInt()).isZero();
    assertThat(job.get("fingerprints")).hasSize(1);
    assertThat(get("/api/v2/publishing/jobs?state=in_flight").get("total").asInt()).isZero();
    assertThat(get("/api/v2/publishing/jobs?target=rejecting").get("total").asInt()).isZero();
    assertThat(get("/api/v2/publishing/jobs?limit=1").get("jobs")).hasSize(1);
    String metrics = app.get("/metrics").body();
    assertThat(metrics)
        .contains("alert_history_publishing_queue_depth{target=\"paced\"} 2.0")
        .contains("alert_history_publishing_circuit_state{target=\"paced\"} 0.0");
  }
}
