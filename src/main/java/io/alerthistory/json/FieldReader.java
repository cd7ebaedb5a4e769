package io.alerthistory.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads typed fields from a JSON object and collects every problem with its path, so one answer can
 * name all bad fields at once instead of the first.
 */
public final class FieldReader {
  private final List<FieldProblem> problems;
  private final JsonNode node;
  private final String path;

  private FieldReader(JsonNode node, String path, List<FieldProblem> problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  public static FieldReader of(JsonNode object) {
    return new FieldReader(object, "", new ArrayList<>());
  }

  /** A reader for a nested object sharing this reader's problem list. */
  public FieldReader nested(JsonNode object, String subPath) {
    return new FieldReader(object, subPath, problems);
  }

  public List<FieldProblem> problems() {
    return List.copyOf(problems);
  }

  public boolean hasProblems() {
    return !problems.isEmpty();
  }

  public void problem(String field, String problem) {
    problems.add(new FieldProblem(pathOf(field), problem));
  }

  public String pathOf(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  public boolean has(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  public JsonNode raw(String field) {
    return node.get(field);
  }

  /** Reports fields not in {@code known}; newer writers of a strict document get told of typos. */
  public void rejectUnknown(Set<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        problem(name, "unknown field");
      }
    }
  }

  public String string(String field, boolean required) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        problem(field, "is required");
      }
      return null;
    }
    if (!v.isTextual()) {
      problem(field, "must be a string");
      return null;
    }
    return v.asText();
  }

  public String requiredNonEmpty(String field) {
    String s = string(field, true);
    if (s != null && s.isBlank()) {
      problem(field, "must not be empty");
      return null;
    }
    return s;
  }

  public Boolean bool(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      problem(field, "must be true or false");
      return null;
    }
    return v.booleanValue();
  }

  public int nonNegativeInt(String field, int fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < 0) {
      problem(field, "must be a non-negative integer");
      return fallback;
    }
    return v.intValue();
  }

  /** A JSON object whose values are all strings; missing gives an empty map. */
  public Map<String, String> stringMap(String field) {
    JsonNode v = node.get(field);
    Map<String, String> out = new LinkedHashMap<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isObject()) {
      problem(field, "must be an object of strings");
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isTextual()) {
        out.put(e.getKey(), e.getValue().asText());
      } else {
        problem(field + "." + e.getKey(), "must be a string");
      }
    }
    return out;
  }

  /** A JSON array of strings; missing gives an empty list. */
  public List<String> stringList(String field) {
    JsonNode v = node.get(field);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      problem(field, "must be a list of strings");
      return out;
    }
    for (int i = 0; i < v.size(); i++) {
      if (v.get(i).isTextual()) {
        out.add(v.get(i).asText());
      } else {
        problem(field + "[" + i + "]", "must be a string");
      }
    }
    return out;
  }
}
