package io.alerthistory.target.source;

/**
 * A listing of a target source failed as a whole. Its {@link ErrorType} says whether retrying can
 * help and is the {@code error_type} label of the refresh error metric.
 */
public class TargetSourceException extends Exception {

  /** Classes of listing failures; transient ones are retried with backoff. */
  public enum ErrorType {
    TIMEOUT("timeout", true),
    NETWORK("network", true),
    RATE_LIMITED("rate_limited", true),
    SERVER("server", true),
    AUTH("auth", false),
    PARSE("parse", false),
    CONFIG("config", false);

    private final String label;
    private final boolean transientError;

    ErrorType(String label, boolean transientError) {
      this.label = label;
      this.transientError = transientError;
    }

    public String label() {
      return label;
    }

    public boolean isTransient() {
      return transientError;
    }
  }

  private final ErrorType type;

  public TargetSourceException(String message, ErrorType type, Throwable cause) {
    super(message, cause);
    this.type = type;
  }

  public ErrorType type() {
    return type;
  }
}
