package io.alerthistory.target.source;

import static io.alerthistory.target.source.KubernetesMockCluster.SELECTOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonParseException;
import io.alerthistory.target.source.TargetSourceException.ErrorType;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How failed listings are classified, against a mock API server in expectation mode. */
class KubernetesTargetSourceErrorsTest {
  private static final String PATH =
      "/api/v1/namespaces/team-a/secrets?labelSelector=publishing-target%3Dtrue";

  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(false);
    server.init();
    client = client(server.url("/"));
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  /** No client-side retries, so each test sees the first answer; a short request timeout. */
  private static KubernetesClient client(String masterUrl) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(masterUrl)
            .withRequestRetryBackoffLimit(0)
            .withRequestTimeout(1_000)
            .withConnectionTimeout(1_000)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private static TargetSourceException listFails(KubernetesClient client) {
    var source = new KubernetesTargetSource(client, List.of("team-a"), SELECTOR, Duration.ZERO);
    return catchThrowableOfType(TargetSourceException.class, source::list);
  }

  private void answer(int code, String reason) {
    server
        .expect()
        .get()
        .withPath(PATH)
        .andReturn(
            code,
            new StatusBuilder()
                .withStatus("Failure")
                .withCode(code)
                .withReason(reason)
                .withMessage("secrets is " + reason.toLowerCase())
                .build())
        .always();
  }

  @ParameterizedTest
  @CsvSource({
    "401, Unauthorized, AUTH",
    "403, Forbidden, AUTH",
    "429, TooManyRequests, RATE_LIMITED",
    "500, InternalError, SERVER",
    "503, ServiceUnavailable, SERVER",
    "504, Timeout, SERVER",
    "408, Timeout, TIMEOUT",
    "400, BadRequest, CONFIG",
  })
  void statusCodesAreClassified(int code, String reason, ErrorType expected) {
    answer(code, reason);

    TargetSourceException e = listFails(client);

    assertThat(e.type()).isEqualTo(expected);
    assertThat(e.getMessage())
        .contains("namespace team-a")
        .contains("HTTP " + code)
        .contains(reason);
  }

  @Test
  void forbiddenIsPermanentAndUnavailableIsTransient() {
    answer(403, "Forbidden");
    assertThat(listFails(client).type().isTransient()).isFalse();
    server.clearExpectations();
    answer(503, "ServiceUnavailable");
    assertThat(listFails(client).type().isTransient()).isTrue();
  }

  @Test
  void anUnparseableResponseIsAParseErrorThatQuotesNothing() {
    server
        .expect()
        .get()
        .withPath(PATH)
        .andReturn(200, "{\"kind\":\"SecretList\",\"items\":[{\"data\":{\"config\":\"LEAKED-VALUE")
        .always();

    TargetSourceException e = listFails(client);

    assertThat(e.type()).isEqualTo(ErrorType.PARSE);
    assertThat(e.getMessage()).contains("namespace team-a").doesNotContain("LEAKED-VALUE");
    assertThat(e.getCause()).isNull();
  }

  @Test
  void aSlowServerIsATimeout() {
    server
        .expect()
        .get()
        .delay(3, TimeUnit.SECONDS)
        .withPath(PATH)
        .andReturn(200, "{\"kind\":\"SecretList\",\"apiVersion\":\"v1\",\"items\":[]}")
        .always();

    TargetSourceException e = listFails(client);

    assertThat(e.type()).isEqualTo(ErrorType.TIMEOUT);
    assertThat(e.getMessage()).contains("namespace team-a");
  }

  @Test
  void aRefusedConnectionIsANetworkError() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (KubernetesClient refused = client("http://127.0.0.1:" + port + "/")) {
      TargetSourceException e = listFails(refused);

      assertThat(e.type()).isEqualTo(ErrorType.NETWORK);
      assertThat(e.getMessage()).contains("namespace team-a");
    }
  }

  @Test
  void causesAreClassifiedWhereverTheySitInTheChain() {
    assertThat(classify(new KubernetesClientException("x", new UnknownHostException("api"))))
        .isEqualTo(ErrorType.NETWORK);
    assertThat(classify(new KubernetesClientException("x", new ConnectException("refused"))))
        .isEqualTo(ErrorType.NETWORK);
    assertThat(classify(new KubernetesClientException("x", new HttpTimeoutException("slow"))))
        .isEqualTo(ErrorType.TIMEOUT);
    assertThat(
            classify(
                new KubernetesClientException(
                    "x", new IOException("wrapped", new HttpConnectTimeoutException("slow")))))
        .isEqualTo(ErrorType.TIMEOUT);
    assertThat(classify(new KubernetesClientException("x", new InterruptedException())))
        .isEqualTo(ErrorType.TIMEOUT);
    assertThat(
            classify(
                new KubernetesClientException(
                    "x", new JsonParseException(null, "Unexpected character"))))
        .isEqualTo(ErrorType.PARSE);
    assertThat(
            classify(
                new KubernetesClientException(
                    "outer", new KubernetesClientException("inner", 403, null))))
        .isEqualTo(ErrorType.AUTH);
    assertThat(classify(new KubernetesClientException("x", 429, null)))
        .isEqualTo(ErrorType.RATE_LIMITED);
  }

  private static ErrorType classify(Throwable t) {
    return KubernetesTargetSource.classify(t);
  }
}
