package io.alerthistory.delivery;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** A JSON document embedded as-is in a JSON log line, and printed as-is in a text one. */
record RawJson(byte[] json) implements JsonSerializable {

  @Override
  public void serialize(JsonGenerator g, SerializerProvider p) throws IOException {
    g.writeRawValue(toString());
  }

  @Override
  public void serializeWithType(JsonGenerator g, SerializerProvider p, TypeSerializer t)
      throws IOException {
    serialize(g, p);
  }

  @Override
  public String toString() {
    return new String(json, StandardCharsets.UTF_8);
  }
}
