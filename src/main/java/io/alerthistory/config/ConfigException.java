package io.alerthistory.config;

/** An environment variable holds a value the service cannot start with. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String variable, String value, String expected) {
    super("invalid " + variable + "=\"" + value + "\": expected " + expected);
  }
}
