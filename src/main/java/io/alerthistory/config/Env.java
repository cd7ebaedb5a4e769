package io.alerthistory.config;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Typed reads of environment variables; every bad value names the variable, value and expectation.
 */
final class Env {
  private final Map<String, String> vars;

  Env(Map<String, String> vars) {
    this.vars = vars;
  }

  String string(String name, String fallback) {
    String v = vars.get(name);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  String optional(String name) {
    return string(name, null);
  }

  int integer(String name, int fallback, int min, int max) {
    return parse(
        name,
        fallback,
        "an integer from " + min + " to " + max,
        s -> {
          int i = Integer.parseInt(s);
          if (i < min || i > max) {
            throw new IllegalArgumentException();
          }
          return i;
        });
  }

  long bytes(String name, long fallback) {
    return parse(
        name,
        fallback,
        "a positive number of bytes, optionally with KiB or MiB (e.g. 4MiB)",
        ByteSizes::parse);
  }

  java.nio.file.Path directory(String name, String fallback) {
    String v = string(name, fallback);
    java.nio.file.Path p = java.nio.file.Path.of(v);
    if (!java.nio.file.Files.isDirectory(p)) {
      throw new ConfigException(name, v, "an existing directory");
    }
    return p;
  }

  /** A comma-separated list; blank items are dropped, missing gives an empty list. */
  java.util.List<String> list(String name) {
    String v = optional(name);
    if (v == null) {
      return java.util.List.of();
    }
    return java.util.Arrays.stream(v.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  /** A Kubernetes equality-based label selector such as {@code a=b,c!=d} or {@code a}. */
  String labelSelector(String name, String fallback) {
    String v = string(name, fallback);
    String term = "[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?";
    String item =
        "!?" + term + "|" + term + "\\s*(=|==|!=)\\s*([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?";
    for (String part : v.split(",")) {
      if (!part.trim().matches(item)) {
        throw new ConfigException(name, v, "a label selector such as publishing-target=true");
      }
    }
    return v;
  }

  Duration duration(String name, Duration fallback, Duration min) {
    return parse(
        name,
        fallback,
        "a Go duration of at least " + Durations.format(min) + " (e.g. 30s, 5m, 1h)",
        s -> {
          Duration d = Durations.parse(s);
          if (d.compareTo(min) < 0) {
            throw new IllegalArgumentException();
          }
          return d;
        });
  }

  String oneOf(String name, String fallback, Set<String> allowed) {
    String v = string(name, fallback);
    String lower = v.toLowerCase(java.util.Locale.ROOT);
    if (!allowed.contains(lower)) {
      throw new ConfigException(
          name, v, "one of " + String.join("|", allowed.stream().sorted().toList()));
    }
    return lower;
  }

  private <T> T parse(String name, T fallback, String expected, Function<String, T> parser) {
    String v = optional(name);
    if (v == null) {
      return fallback;
    }
    try {
      return parser.apply(v);
    } catch (RuntimeException e) {
      throw new ConfigException(name, v, expected);
    }
  }
}
