package io.alerthistory.target;

import java.net.URI;

/** Hides secret parts of target settings: URL credentials and query strings, header values. */
public final class Redaction {
  public static final String MASK = "***";

  private Redaction() {}

  /** The text with every occurrence of the given secret values replaced by {@value #MASK}. */
  public static String scrub(String text, java.util.List<String> secrets) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, MASK);
    }
    return out;
  }

  /** The URL with user info and query replaced by {@value #MASK} and any fragment dropped. */
  public static String url(URI url) {
    return url(url, false);
  }

  /**
   * As {@link #url(URI)}, and with the path masked too when it is itself a credential (a Slack
   * incoming webhook's path is its token).
   */
  public static String url(URI url, boolean pathIsSecret) {
    if (url == null) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    b.append(url.getScheme()).append("://");
    if (url.getRawUserInfo() != null) {
      b.append(MASK).append('@');
    }
    b.append(url.getHost());
    if (url.getPort() >= 0) {
      b.append(':').append(url.getPort());
    }
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    b.append(pathIsSecret && !path.isEmpty() && !path.equals("/") ? "/" + MASK : path);
    if (url.getRawQuery() != null) {
      b.append('?').append(MASK);
    }
    return b.toString();
  }
}
