package io.alerthistory.attempt;

/** Why an attempt failed; the label values of the failure metrics, as in Alertmanager. */
public enum FailureReason {
  CLIENT_ERROR("clientError"),
  SERVER_ERROR("serverError"),
  RATE_LIMITED("rateLimited"),
  AUTH_ERROR("authError"),
  TIMEOUT("timeout"),
  NETWORK("network");

  private final String label;

  FailureReason(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
