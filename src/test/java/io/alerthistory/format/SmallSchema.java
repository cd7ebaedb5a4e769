package io.alerthistory.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A deliberately small JSON Schema checker: {@code type}, {@code required}, {@code properties},
 * {@code additionalProperties: false}, {@code enum}, {@code const}, {@code minLength}, {@code
 * maxLength}, {@code items}, {@code allOf} and {@code if}/{@code then}. Any other keyword fails
 * loudly so the schema file cannot silently claim more than is checked.
 */
final class SmallSchema {
  private static final List<String> KNOWN =
      List.of(
          "$comment",
          "type",
          "required",
          "properties",
          "additionalProperties",
          "enum",
          "const",
          "minLength",
          "maxLength",
          "items",
          "allOf",
          "if",
          "then");

  private SmallSchema() {}

  /** Every violation, as {@code path: problem}; empty when the document is valid. */
  static List<String> violations(JsonNode schema, JsonNode doc) {
    List<String> out = new ArrayList<>();
    check(schema, doc, "$", out);
    return out;
  }

  private static void check(JsonNode s, JsonNode d, String path, List<String> out) {
    for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KNOWN.contains(k)) {
        throw new IllegalArgumentException("schema keyword not supported: " + k);
      }
    }
    if (s.has("type") && !hasType(d, s.get("type").asText())) {
      out.add(path + ": must be " + s.get("type").asText());
      return;
    }
    if (s.has("enum") && !contains(s.get("enum"), d)) {
      out.add(path + ": " + d + " not in " + s.get("enum"));
    }
    if (s.has("const") && !s.get("const").equals(d)) {
      out.add(path + ": must be " + s.get("const"));
    }
    if (d.isTextual()) {
      int len = d.asText().length();
      if (s.has("minLength") && len < s.get("minLength").asInt()) {
        out.add(path + ": shorter than " + s.get("minLength"));
      }
      if (s.has("maxLength") && len > s.get("maxLength").asInt()) {
        out.add(path + ": longer than " + s.get("maxLength") + " (" + len + ")");
      }
    }
    if (d.isObject()) {
      s.path("required")
          .forEach(
              r -> {
                if (!d.has(r.asText())) {
                  out.add(path + ": missing " + r.asText());
                }
              });
      JsonNode props = s.path("properties");
      for (Map.Entry<String, JsonNode> e : d.properties()) {
        if (props.has(e.getKey())) {
          check(props.get(e.getKey()), e.getValue(), path + "." + e.getKey(), out);
        } else if (s.path("additionalProperties").isBoolean()
            && !s.get("additionalProperties").asBoolean()) {
          out.add(path + ": unexpected field " + e.getKey());
        }
      }
    }
    if (d.isArray() && s.has("items")) {
      for (int i = 0; i < d.size(); i++) {
        check(s.get("items"), d.get(i), path + "[" + i + "]", out);
      }
    }
    for (JsonNode sub : s.path("allOf")) {
      check(sub, d, path, out);
    }
    if (s.has("if") && violations(s.get("if"), d).isEmpty() && s.has("then")) {
      check(s.get("then"), d, path, out);
    }
  }

  private static boolean contains(JsonNode values, JsonNode d) {
    for (JsonNode v : values) {
      if (v.equals(d)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasType(JsonNode d, String type) {
    return switch (type) {
      case "object" -> d.isObject();
      case "array" -> d.isArray();
      case "string" -> d.isTextual();
      case "integer" -> d.isIntegralNumber();
      case "number" -> d.isNumber();
      case "boolean" -> d.isBoolean();
      default -> throw new IllegalArgumentException("type not supported: " + type);
    };
  }
}
