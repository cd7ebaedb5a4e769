package io.alerthistory.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A PostgreSQL location from {@code DATABASE_URL}: {@code postgres://user:password@host:port/db}
 * (libpq style, as hosted databases hand it out) or {@code jdbc:postgresql://host:port/db}. The
 * password never appears in {@link #redacted()} or {@link #toString()}.
 *
 * @param jdbcUrl the URL without credentials, as the JDBC driver takes it
 * @param password null when none is given
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {
  static final String EXPECTED =
      "postgres://user:password@host:port/database or jdbc:postgresql://host:port/database";

  public static DatabaseUrl parse(String value) {
    String url = value.strip();
    if (url.startsWith("jdbc:postgresql://")) {
      return new DatabaseUrl(url, null, null);
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new ConfigException("DATABASE_URL", redact(url), EXPECTED);
    }
    String scheme = uri.getScheme();
    if (!"postgres".equals(scheme) && !"postgresql".equals(scheme)
        || uri.getHost() == null
        || uri.getPath() == null
        || uri.getPath().length() < 2) {
      throw new ConfigException("DATABASE_URL", redact(url), EXPECTED);
    }
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : null;
    }
    String jdbc =
        "jdbc:postgresql://"
            + uri.getHost()
            + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
            + uri.getRawPath()
            + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
    return new DatabaseUrl(jdbc, user, password);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** The URL with any password replaced, for logs and error messages. */
  public String redacted() {
    return redact(jdbcUrl) + (user != null ? " (user " + user + ")" : "");
  }

  /** Removes this URL's password from a text, such as a driver's error message. */
  public String scrub(String text) {
    return password == null || password.isEmpty() ? text : text.replace(password, "***");
  }

  /** Hides userinfo passwords and {@code password=} query values. */
  static String redact(String url) {
    return url.replaceAll("(//[^/:@]*):[^/@]*@", "$1:***@")
        .replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  @Override
  public String toString() {
    return redacted();
  }
}
