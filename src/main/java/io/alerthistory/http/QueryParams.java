package io.alerthistory.http;

import io.alerthistory.alert.Timestamps;
import io.alerthistory.config.Durations;
import io.alerthistory.json.FieldProblem;
import io.helidon.common.parameters.Parameters;
import io.helidon.webserver.http.ServerResponse;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Reads query parameters, collecting every bad one by name for a single 400 answer. */
final class QueryParams {
  private final Parameters query;
  private final List<FieldProblem> problems = new ArrayList<>();

  QueryParams(Parameters query) {
    this.query = query;
  }

  /** The value, or null when absent or empty. */
  String text(String name) {
    String v = query.first(name).orElse("");
    return v.isBlank() ? null : v.trim();
  }

  int integer(String name, int fallback, int min, int max) {
    String v = text(name);
    if (v == null) {
      return fallback;
    }
    try {
      int i = Integer.parseInt(v);
      if (i >= min && i <= max) {
        return i;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problem(name, "must be an integer from " + min + " to " + max);
    return fallback;
  }

  Instant timestamp(String name) {
    String v = text(name);
    if (v == null) {
      return null;
    }
    try {
      return Timestamps.parse(v);
    } catch (DateTimeException e) {
      problem(name, "must be an RFC 3339 timestamp such as 2026-01-02T15:04:05Z");
      return null;
    }
  }

  Duration duration(String name, boolean required) {
    String v = text(name);
    if (v == null) {
      if (required) {
        problem(name, "is required (a Go duration such as 1h or 30m)");
      }
      return null;
    }
    try {
      return Durations.parse(v);
    } catch (IllegalArgumentException e) {
      problem(name, "must be a Go duration such as 1h, 30m or 90s");
      return null;
    }
  }

  /** A value read by {@code parse}, which returns null for values it does not know. */
  <T> T oneOf(String name, Function<String, T> parse, List<String> allowed) {
    String v = text(name);
    if (v == null) {
      return null;
    }
    T t = parse.apply(v);
    if (t == null) {
      problem(name, "must be one of " + String.join(", ", allowed));
    }
    return t;
  }

  void problem(String name, String problem) {
    problems.add(new FieldProblem(name, problem));
  }

  /** Answers 400 naming every bad parameter and returns false when there was one. */
  boolean valid(ServerResponse res) {
    if (problems.isEmpty()) {
      return true;
    }
    JsonResponses.badRequest(res, problems);
    return false;
  }
}
