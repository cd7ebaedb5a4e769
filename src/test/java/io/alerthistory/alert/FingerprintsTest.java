package io.alerthistory.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FingerprintsTest {
  @Test
  void emptyLabelSetIsTheFnvOffsetLikePrometheus() {
    assertThat(Fingerprints.of(Map.of())).isEqualTo("cbf29ce484222325");
  }

  @Test
  void stableAndIndependentOfLabelOrder() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("alertname", "Down");
    a.put("job", "api");
    Map<String, String> b = new LinkedHashMap<>();
    b.put("job", "api");
    b.put("alertname", "Down");
    assertThat(Fingerprints.of(a)).isEqualTo(Fingerprints.of(b)).hasSize(16);
    assertThat(Fingerprints.of(Map.of("alertname", "Down", "job", "web")))
        .isNotEqualTo(Fingerprints.of(a));
  }

  @Test
  void separatorKeepsNameValueBoundaries() {
    assertThat(Fingerprints.of(Map.of("ab", "c"))).isNotEqualTo(Fingerprints.of(Map.of("a", "bc")));
  }

  @Test
  void parserFillsAMissingFingerprint() {
    String payload =
        """
        {"status": "firing", "alerts": [{"status": "firing", "labels": {"alertname": "Down", "job": "api"},
         "startsAt": "2026-11-23T10:00:00+02:00"}]}
        """;
    var parsed = (NotificationParser.Parsed) new NotificationParser().parse(payload.getBytes());
    Alert alert = parsed.notification().alerts().getFirst();
    assertThat(alert.fingerprint())
        .isEqualTo(Fingerprints.of(Map.of("alertname", "Down", "job", "api")));
    assertThat(alert.startsAtInstant()).hasToString("2026-11-23T08:00:00Z");
  }
}
