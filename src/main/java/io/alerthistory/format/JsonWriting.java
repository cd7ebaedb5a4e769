package io.alerthistory.format;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.alerthistory.alert.Alert;
import io.alerthistory.alert.AlertStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Streaming JSON helpers shared by the formatters; maps are written with sorted keys. */
final class JsonWriting {
  private static final JsonFactory FACTORY = new JsonFactory();

  /** Writes one JSON document. */
  interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private JsonWriting() {}

  static byte[] render(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static void stringMap(JsonGenerator g, String field, Map<String, String> map) throws IOException {
    g.writeObjectFieldStart(field);
    for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  /** Firing when any of the alerts fires, as Alertmanager computes a group's status. */
  static AlertStatus groupStatus(List<Alert> alerts) {
    for (Alert a : alerts) {
      if (a.status() == AlertStatus.FIRING) {
        return AlertStatus.FIRING;
      }
    }
    return AlertStatus.RESOLVED;
  }
}
