package io.alerthistory.delivery;

import java.time.Duration;

/**
 * How the delivery engine paces, retries, bounds and remembers deliveries (see docs/delivery.md).
 *
 * @param maxAttempts attempts per delivery before it is dead-lettered
 * @param maxAge how long after acceptance (or replay) a delivery may still be attempted
 * @param queueCapacity deliveries one target's lane may hold: queued, waiting to retry, in flight
 * @param concurrency requests in flight at once per target
 * @param dedupWindow how long a (target, fingerprint, status, startsAt) is remembered; zero
 *     disables
 * @param dedupMaxEntries bound of the dedup memory; past it the oldest entries are forgotten early
 * @param breakerFailureRate failure percentage over the sliding window that opens a breaker
 * @param breakerWindow attempts in the breaker's sliding window
 * @param breakerMinimumCalls attempts needed in the window before the rate is judged
 * @param breakerOpenDuration how long an open breaker waits before letting probes through
 * @param breakerProbes attempts let through while half-open
 * @param backoffBase first retry delay, doubled on each retry
 * @param backoffMax cap of the retry delay
 * @param deadLetterCapacity dead letters kept in memory; past it the oldest are evicted
 * @param historyFingerprints alerts whose delivery history is kept
 * @param historyPerFingerprint attempts kept per alert
 * @param historyRetention how long attempts are kept in the store and reloaded at start
 */
public record DeliverySettings(
    int maxAttempts,
    Duration maxAge,
    int queueCapacity,
    int concurrency,
    Duration dedupWindow,
    int dedupMaxEntries,
    int breakerFailureRate,
    int breakerWindow,
    int breakerMinimumCalls,
    Duration breakerOpenDuration,
    int breakerProbes,
    Duration backoffBase,
    Duration backoffMax,
    int deadLetterCapacity,
    int historyFingerprints,
    int historyPerFingerprint,
    Duration historyRetention) {

  public static DeliverySettings defaults() {
    return new DeliverySettings(
        8,
        Duration.ofMinutes(15),
        10_000,
        4,
        Duration.ofMinutes(2),
        100_000,
        50,
        20,
        10,
        Duration.ofSeconds(30),
        2,
        Duration.ofSeconds(1),
        Duration.ofSeconds(60),
        10_000,
        10_000,
        20,
        Duration.ofDays(7));
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes some settings, keeping the others. */
  public static final class Builder {
    private int maxAttempts;
    private Duration maxAge;
    private int queueCapacity;
    private int concurrency;
    private Duration dedupWindow;
    private int dedupMaxEntries;
    private int breakerFailureRate;
    private int breakerWindow;
    private int breakerMinimumCalls;
    private Duration breakerOpenDuration;
    private int breakerProbes;
    private Duration backoffBase;
    private Duration backoffMax;
    private int deadLetterCapacity;
    private int historyFingerprints;
    private int historyPerFingerprint;
    private Duration historyRetention;

    private Builder(DeliverySettings s) {
      maxAttempts = s.maxAttempts;
      maxAge = s.maxAge;
      queueCapacity = s.queueCapacity;
      concurrency = s.concurrency;
      dedupWindow = s.dedupWindow;
      dedupMaxEntries = s.dedupMaxEntries;
      breakerFailureRate = s.breakerFailureRate;
      breakerWindow = s.breakerWindow;
      breakerMinimumCalls = s.breakerMinimumCalls;
      breakerOpenDuration = s.breakerOpenDuration;
      breakerProbes = s.breakerProbes;
      backoffBase = s.backoffBase;
      backoffMax = s.backoffMax;
      deadLetterCapacity = s.deadLetterCapacity;
      historyFingerprints = s.historyFingerprints;
      historyPerFingerprint = s.historyPerFingerprint;
      historyRetention = s.historyRetention;
    }

    public Builder maxAttempts(int v) {
      maxAttempts = v;
      return this;
    }

    public Builder maxAge(Duration v) {
      maxAge = v;
      return this;
    }

    public Builder queueCapacity(int v) {
      queueCapacity = v;
      return this;
    }

    public Builder concurrency(int v) {
      concurrency = v;
      return this;
    }

    public Builder dedupWindow(Duration v) {
      dedupWindow = v;
      return this;
    }

    public Builder dedupMaxEntries(int v) {
      dedupMaxEntries = v;
      return this;
    }

    public Builder breakerFailureRate(int v) {
      breakerFailureRate = v;
      return this;
    }

    public Builder breakerWindow(int window, int minimumCalls) {
      breakerWindow = window;
      breakerMinimumCalls = minimumCalls;
      return this;
    }

    public Builder breakerOpenDuration(Duration v) {
      breakerOpenDuration = v;
      return this;
    }

    public Builder breakerProbes(int v) {
      breakerProbes = v;
      return this;
    }

    public Builder deadLetterCapacity(int v) {
      deadLetterCapacity = v;
      return this;
    }

    public Builder history(int fingerprints, int perFingerprint) {
      historyFingerprints = fingerprints;
      historyPerFingerprint = perFingerprint;
      return this;
    }

    public Builder historyRetention(Duration v) {
      historyRetention = v;
      return this;
    }

    public DeliverySettings build() {
      return new DeliverySettings(
          maxAttempts,
          maxAge,
          queueCapacity,
          concurrency,
          dedupWindow,
          dedupMaxEntries,
          breakerFailureRate,
          breakerWindow,
          breakerMinimumCalls,
          breakerOpenDuration,
          breakerProbes,
          backoffBase,
          backoffMax,
          deadLetterCapacity,
          historyFingerprints,
          historyPerFingerprint,
          historyRetention);
    }
  }
}
