package io.alerthistory.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alerthistory.delivery.DeliverySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigTest {
  @TempDir Path dir;

  @Test
  void defaultsMatchTheDocumentation() {
    Config c = Config.from(Map.of("TARGETS_DIR", dir.toString()));
    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.targetSource()).isEqualTo("directory");
    assertThat(c.maxBodyBytes()).isEqualTo(4L * 1024 * 1024);
    assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.delivery()).isEqualTo(DeliverySettings.defaults());
    assertThat(c.delivery().maxAttempts()).isEqualTo(8);
    assertThat(c.delivery().maxAge()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.delivery().queueCapacity()).isEqualTo(10_000);
    assertThat(c.delivery().concurrency()).isEqualTo(4);
    assertThat(c.delivery().dedupWindow()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.delivery().breakerFailureRate()).isEqualTo(50);
    assertThat(c.delivery().breakerOpenDuration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.delivery().deadLetterCapacity()).isEqualTo(10_000);
    assertThat(c.logFormat()).isEqualTo("json");
    assertThat(c.targetLabelSelector()).isEqualTo("publishing-target=true");
    assertThat(c.refresh().interval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.refresh().warmup()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.refresh().maxRetries()).isEqualTo(5);
    assertThat(c.refresh().baseBackoff()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.refresh().maxBackoff()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.refresh().rateLimit()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.refresh().timeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void theReplicaIsNamedByHostnameElseByTheMachinesHostName() throws Exception {
    assertThat(Config.from(Map.of("TARGETS_DIR", dir.toString(), "HOSTNAME", "pod-7")).replica())
        .isEqualTo("pod-7");
    assertThat(Config.from(Map.of("TARGETS_DIR", dir.toString(), "HOSTNAME", " ")).replica())
        .isEqualTo(java.net.InetAddress.getLocalHost().getHostName());
  }

  @Test
  void goDurationsAndSizesAreRead() {
    Config c =
        Config.from(
            Map.of(
                "TARGETS_DIR", dir.toString(),
                "SHUTDOWN_TIMEOUT", "1m30s",
                "MAX_BODY_BYTES", "512KiB",
                "TARGET_REFRESH_INTERVAL", "1h",
                "LOG_FORMAT", "TEXT",
                "DEDUP_WINDOW", "0s",
                "DELIVERY_MAX_AGE", "1h",
                "DELIVERY_QUEUE_CAPACITY", "50"));
    assertThat(c.delivery().dedupWindow()).isZero();
    assertThat(c.delivery().maxAge()).isEqualTo(Duration.ofHours(1));
    assertThat(c.delivery().queueCapacity()).isEqualTo(50);
    assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.maxBodyBytes()).isEqualTo(512 * 1024);
    assertThat(c.refresh().interval()).isEqualTo(Duration.ofHours(1));
    assertThat(c.logFormat()).isEqualTo("text");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "HTTP_PORT|eighty|an integer from 0 to 65535",
        "HTTP_PORT|70000|an integer from 0 to 65535",
        "SHUTDOWN_TIMEOUT|30|a Go duration",
        "TARGET_REFRESH_INTERVAL|5 minutes|a Go duration of at least 1s",
        "TARGET_REFRESH_MAX_RETRIES|-1|an integer from 0 to 100",
        "MAX_BODY_BYTES|lots|a positive number of bytes",
        "LOG_FORMAT|xml|one of json|text",
        "LOG_LEVEL|loud|one of",
        "TARGET_SOURCE|consul|one of directory|kubernetes",
        "TARGET_LABEL_SELECTOR|a=b=c|a label selector",
        "DELIVERY_MAX_ATTEMPTS|0|an integer from 1 to 100",
        "DELIVERY_MAX_AGE|500ms|a Go duration of at least 1s",
        "DELIVERY_QUEUE_CAPACITY|0|an integer from 1 to 1000000",
        "DELIVERY_CONCURRENCY|many|an integer from 1 to 256",
        "DEDUP_WINDOW|2 minutes|a Go duration",
        "DELIVERY_BREAKER_FAILURE_RATE|101|an integer from 1 to 100",
        "DELIVERY_BREAKER_OPEN_DURATION|10|a Go duration",
        "DEAD_LETTER_CAPACITY|-3|an integer from 1 to 1000000"
      })
  void badValueNamesVariableValueAndExpectation(String name, String value, String expected) {
    Map<String, String> env = new HashMap<>(Map.of("TARGETS_DIR", dir.toString()));
    env.put(name, value);
    assertThatThrownBy(() -> Config.from(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(name)
        .hasMessageContaining("\"" + value + "\"")
        .hasMessageContaining(expected);
  }

  @Test
  void missingTargetsDirectoryStopsStartUp() {
    assertThatThrownBy(() -> Config.from(Map.of("TARGETS_DIR", dir.resolve("nope").toString())))
        .hasMessageContaining("TARGETS_DIR")
        .hasMessageContaining("an existing directory");
  }

  @Test
  void durationsParseAndPrintLikeGo() {
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(Durations.format(Duration.ofMillis(200))).isEqualTo("200ms");
    assertThatThrownBy(() -> Durations.parse("5")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Durations.parse("-5s")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Durations.parse("5d")).isInstanceOf(IllegalArgumentException.class);
  }
}
