package io.alerthistory.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alerthistory.alert.Alert;
import io.alerthistory.alert.AlertStatus;
import io.alerthistory.alert.Notification;
import io.alerthistory.store.InMemoryIncidentStore;
import io.alerthistory.target.PayloadFormat;
import io.alerthistory.target.Target;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exact requests each format makes for the example payloads, a 15-alert group and an alert with
 * huge annotations. Regenerate with {@code -Dgolden.update=true} and review the diff.
 */
class FormatGoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CASES =
      List.of("firing", "resolved", "grouped", "fifteen", "huge");

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (PayloadFormat f : PayloadFormat.values()) {
      if (f != PayloadFormat.LOG) {
        CASES.forEach(c -> out.add(Arguments.of(f, c)));
      }
    }
    return out.stream();
  }

  static Notification notification(String name) {
    return switch (name) {
      case "fifteen" -> Fixtures.many(15, 200);
      case "huge" -> Fixtures.huge();
      default -> Fixtures.example(name);
    };
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void requestsMatchTheGoldenFile(PayloadFormat format, String name) throws Exception {
    InMemoryIncidentStore store = new InMemoryIncidentStore();
    PayloadFormatter f = Formatters.standard(new PrometheusRegistry(), store).get(format);
    Target t = Fixtures.target(format);
    Notification n = notification(name);
    // Resolved alerts resolve an incident opened earlier.
    for (Alert a : n.alerts()) {
      if (a.status() == AlertStatus.RESOLVED) {
        store.put(t.name(), a.fingerprint(), "inc-" + a.fingerprint());
      }
    }
    JsonNode actual = describe(Fixtures.prepareAll(f, t, n));
    Path file = Path.of("src/test/resources/golden", format.wireName(), name + ".json");
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(file.getParent());
      Files.writeString(
          file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n");
    }
    assertThat(actual).isEqualTo(JSON.readTree(file.toFile()));
  }

  /** Method, URL, content type and parsed body of each request; secrets are not part of it. */
  static JsonNode describe(List<Prepared> prepared) throws Exception {
    ArrayNode out = JSON.createArrayNode();
    for (Prepared p : prepared) {
      ObjectNode o = out.addObject();
      switch (p) {
        case Prepared.Send s -> {
          OutgoingRequest r = s.request();
          o.put("method", r.method());
          o.put("url", r.url().toString());
          o.put("content_type", r.headers().get("Content-Type"));
          o.set("body", JSON.readTree(r.body()));
        }
        case Prepared.Settled s -> o.put("settled", s.outcome().toString());
      }
    }
    return out;
  }
}
