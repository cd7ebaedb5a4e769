package io.alerthistory.store;

/** The database could not be reached or refused an operation; the operation did not happen. */
public final class StoreUnavailableException extends RuntimeException {
  StoreUnavailableException(String operation, Throwable cause) {
    super(operation + " failed: " + (cause == null ? "no connection" : cause.getMessage()), cause);
  }
}
