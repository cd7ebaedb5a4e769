package io.alerthistory.format;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alerthistory.alert.Notification;
import io.alerthistory.attempt.AttemptOutcome;
import io.alerthistory.attempt.FailureReason;
import io.alerthistory.target.Target;
import io.alerthistory.target.TargetType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlackFormatterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SlackFormatter slack = new SlackFormatter();
  private final Wire wire = new Wire();
  private final Target target = Fixtures.target(TargetType.SLACK, wire.url(Fixtures.SLACK_PATH));

  @AfterEach
  void stop() {
    wire.close();
  }

  @Test
  void postsTheMessageAndOkIsDelivered() throws Exception {
    wire.server.stubFor(
        post(Fixtures.SLACK_PATH).willReturn(aResponse().withStatus(200).withBody("ok")));
    Notification n = Fixtures.example("firing");
    AttemptOutcome outcome = wire.attempt(slack, target, n, n.alerts());
    assertThat(outcome).isEqualTo(new AttemptOutcome.Delivered(200));
    wire.server.verify(
        postRequestedFor(urlEqualTo(Fixtures.SLACK_PATH))
            .withHeader("Content-Type", equalTo("application/json"))
            .withRequestBody(
                equalToJson(new String(slack.render(n, n.alerts()), StandardCharsets.UTF_8))));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "200, no_text, DeadLetter, CLIENT_ERROR",
    "200, '{\"ok\":false,\"error\":\"invalid_blocks\"}', DeadLetter, CLIENT_ERROR",
    "200, '{\"ok\":false,\"error\":\"service_unavailable\"}', Retry, SERVER_ERROR",
    "200, ratelimited, Retry, RATE_LIMITED",
    "400, invalid_payload, DeadLetter, CLIENT_ERROR",
    "403, action_prohibited, DeadLetter, AUTH_ERROR",
    "404, channel_not_found, DeadLetter, CLIENT_ERROR",
    "404, no_service, DeadLetter, CLIENT_ERROR",
    "410, channel_is_archived, DeadLetter, CLIENT_ERROR",
    "500, rollup_error, Retry, SERVER_ERROR",
    "503, oops, Retry, SERVER_ERROR"
  })
  void answersMapToOutcomes(int status, String body, String kind, FailureReason reason)
      throws Exception {
    wire.server.stubFor(
        post(Fixtures.SLACK_PATH).willReturn(aResponse().withStatus(status).withBody(body)));
    Notification n = Fixtures.example("grouped");
    AttemptOutcome outcome = wire.attempt(slack, target, n, n.alerts());
    assertThat(outcome.getClass().getSimpleName()).isEqualTo(kind);
    switch (outcome) {
      case AttemptOutcome.Retry r -> assertThat(r.reason()).isEqualTo(reason);
      case AttemptOutcome.DeadLetter d -> {
        assertThat(d.reason()).isEqualTo(reason);
        assertThat(d.detail()).contains(body.length() > 20 ? "invalid_blocks" : body);
      }
      case AttemptOutcome.Delivered d -> throw new AssertionError(d);
    }
  }

  @Test
  void tooManyRequestsRetriesAfterWhatSlackSays() throws Exception {
    wire.server.stubFor(
        post(Fixtures.SLACK_PATH)
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Retry-After", "30")
                    .withBody("rate_limited")));
    Notification n = Fixtures.example("firing");
    assertThat(wire.attempt(slack, target, n, n.alerts()))
        .isEqualTo(
            new AttemptOutcome.Retry(
                FailureReason.RATE_LIMITED, 429, Duration.ofSeconds(30), "rate_limited"));
  }

  @Test
  void twoHundredAlertsWithFiveKilobyteAnnotationsStayWithinEverySlackLimit() throws Exception {
    Notification n = Fixtures.many(200, 5 * 1024);
    JsonNode msg = JSON.readTree(slack.render(n, n.alerts()));
    assertThat(msg.get("text").asText().length()).isLessThanOrEqualTo(3000);
    JsonNode blocks = msg.at("/attachments/0/blocks");
    assertThat(blocks.size()).isLessThanOrEqualTo(SlackFormatter.MAX_BLOCKS);
    List<String> texts = new ArrayList<>();
    for (JsonNode b : blocks) {
      switch (b.get("type").asText()) {
        case "header" -> {
          assertThat(b.at("/text/type").asText()).isEqualTo("plain_text");
          assertThat(b.at("/text/text").asText().length()).isLessThanOrEqualTo(150);
        }
        case "section" -> {
          if (b.has("text")) {
            assertThat(b.at("/text/text").asText().length()).isLessThanOrEqualTo(3000);
            texts.add(b.at("/text/text").asText());
          }
          if (b.has("fields")) {
            assertThat(b.get("fields").size()).isLessThanOrEqualTo(10);
            b.get("fields")
                .forEach(
                    f -> assertThat(f.get("text").asText().length()).isLessThanOrEqualTo(2000));
          }
        }
        case "context" -> {
          assertThat(b.get("elements").size()).isLessThanOrEqualTo(10);
          b.get("elements")
              .forEach(e -> assertThat(e.get("text").asText().length()).isLessThanOrEqualTo(3000));
        }
        case "divider" -> {}
        default -> throw new AssertionError("unexpected block " + b);
      }
    }
    assertThat(texts).hasSize(10).allSatisfy(t -> assertThat(t).endsWith(Texts.TRUNCATED));
    assertThat(blocks.toString()).contains("+190 more");
  }

  @Test
  void colourFollowsTheWorstFiringSeverity() {
    assertThat(SlackFormatter.colour(Fixtures.example("firing").alerts()))
        .isEqualTo(SlackFormatter.RED);
    assertThat(SlackFormatter.colour(Fixtures.example("resolved").alerts()))
        .isEqualTo(SlackFormatter.GREEN);
    Notification mixed = Fixtures.many(3, 10);
    assertThat(SlackFormatter.colour(mixed.alerts().subList(1, 2)))
        .isEqualTo(SlackFormatter.ORANGE);
    assertThat(SlackFormatter.colour(mixed.alerts().subList(2, 3))).isEqualTo(SlackFormatter.GREY);
  }

  @Test
  void mrkdwnControlCharactersAreEscaped() {
    assertThat(SlackFormatter.escape("a < b && c > d")).isEqualTo("a &lt; b &amp;&amp; c &gt; d");
  }
}
