package io.alerthistory.target;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One Alertmanager-style matcher such as {@code severity=~"critical|warning"} or {@code
 * namespace!=dev}. Regular expressions are anchored at both ends, as in Alertmanager; a missing
 * label matches as the empty string.
 */
public record LabelMatcher(String label, Operator operator, String value, Pattern pattern) {

  /** The four matcher operators. */
  public enum Operator {
    EQUAL("="),
    NOT_EQUAL("!="),
    REGEX("=~"),
    NOT_REGEX("!~");

    private final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  private static final Pattern SYNTAX =
      Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*(.*?)\\s*");

  /**
   * Parses a matcher.
   *
   * @throws IllegalArgumentException with a readable reason when the text is not a matcher
   */
  public static LabelMatcher parse(String text) {
    Matcher m = SYNTAX.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "\""
              + text
              + "\" is not a matcher like name=value, name!=value, name=~regex or name!~regex");
    }
    Operator op =
        switch (m.group(2)) {
          case "=" -> Operator.EQUAL;
          case "!=" -> Operator.NOT_EQUAL;
          case "=~" -> Operator.REGEX;
          default -> Operator.NOT_REGEX;
        };
    String value = unquote(m.group(3));
    Pattern pattern = null;
    if (op == Operator.REGEX || op == Operator.NOT_REGEX) {
      try {
        pattern = Pattern.compile(value);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "\"" + text + "\" has an invalid regular expression: " + e.getDescription());
      }
    }
    return new LabelMatcher(m.group(1), op, value, pattern);
  }

  private static String unquote(String v) {
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      return v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }
    return v;
  }

  public boolean matches(Map<String, String> labels) {
    String actual = labels.getOrDefault(label, "");
    return switch (operator) {
      case EQUAL -> actual.equals(value);
      case NOT_EQUAL -> !actual.equals(value);
      case REGEX -> pattern.matcher(actual).matches();
      case NOT_REGEX -> !pattern.matcher(actual).matches();
    };
  }

  @Override
  public String toString() {
    return label + operator.symbol() + value;
  }
}
