package io.alerthistory.delivery;

import io.alerthistory.attempt.FailureReason;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** The delivery engine's metrics (DESIGN §10); per-target series go when the target does. */
final class DeliveryMetrics {
  static final String DELIVERED = "delivered";
  static final String DEAD_LETTERED = "dead_lettered";

  /** What a lane looks like at scrape time. */
  record LaneStats(
      String target, int queued, double oldestAgeSeconds, int circuitState, int inFlight) {}

  private final Counter deliveries;
  private final Counter failures;
  private final Histogram latency;
  private final Counter pacerWaits;
  private final Counter deadLetters;
  private final Counter replays;
  private final Counter deduplicated;
  private final Counter evicted;
  private final Counter fallbacks;

  DeliveryMetrics(
      PrometheusRegistry registry, Supplier<List<LaneStats>> lanes, IntSupplier deadLetterCount) {
    deliveries =
        Counter.builder()
            .name("alert_history_publishing_deliveries_total")
            .help(
                "Deliveries finished, by target, target type and outcome (delivered, dead_lettered).")
            .labelNames("target", "type", "outcome")
            .register(registry);
    failures =
        Counter.builder()
            .name("alert_history_publishing_delivery_failures_total")
            .help(
                "Failed delivery attempts, by target and reason (clientError, serverError,"
                    + " rateLimited, authError, timeout, network).")
            .labelNames("target", "reason")
            .register(registry);
    latency =
        Histogram.builder()
            .name("alert_history_publishing_delivery_latency_seconds")
            .help("Time from accepting a notification (or replaying it) to its delivery.")
            .unit(Unit.SECONDS)
            .labelNames("target", "type")
            .classicOnly()
            .classicUpperBounds(
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)
            .register(registry);
    pacerWaits =
        Counter.builder()
            .name("alert_history_publishing_pacer_waits_total")
            .help("Times a target's lane paused for its rate limit or a Retry-After.")
            .labelNames("target")
            .register(registry);
    deadLetters =
        Counter.builder()
            .name("alert_history_publishing_dead_letters_total")
            .help(
                "Deliveries parked in the dead-letter queue, by target and reason"
                    + " (permanent_failure, attempts_exhausted, max_age, target_removed, shutdown).")
            .labelNames("target", "reason")
            .register(registry);
    replays =
        Counter.builder()
            .name("alert_history_publishing_replays_total")
            .help("Dead letters queued again by a replay, by target.")
            .labelNames("target")
            .register(registry);
    deduplicated =
        Counter.builder()
            .name("alert_history_publishing_deduplicated_alerts_total")
            .help("Alerts not queued again for a target because the dedup window had seen them.")
            .labelNames("target")
            .register(registry);
    evicted =
        Counter.builder()
            .name("alert_history_publishing_dead_letters_evicted_total")
            .help("Dead letters dropped from the full in-memory dead-letter queue, oldest first.")
            .register(registry);
    fallbacks =
        Counter.builder()
            .name("alert_history_publishing_fallbacks_total")
            .help(
                "Deliveries a target gave up on that were sent once to its fallback target instead"
                    + " of being parked, by target and fallback.")
            .labelNames("target", "fallback")
            .register(registry);
    GaugeWithCallback.builder()
        .name("alert_history_publishing_queue_depth")
        .help("Deliveries waiting in a target's lane: queued or waiting to retry, not in flight.")
        .labelNames("target")
        .callback(cb -> lanes.get().forEach(l -> cb.call(l.queued(), l.target())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("alert_history_publishing_queue_oldest_age_seconds")
        .help("Age of the oldest delivery waiting in a target's lane; 0 when none waits.")
        .labelNames("target")
        .callback(cb -> lanes.get().forEach(l -> cb.call(l.oldestAgeSeconds(), l.target())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("alert_history_publishing_in_flight")
        .help("Requests to a target in flight now.")
        .labelNames("target")
        .callback(cb -> lanes.get().forEach(l -> cb.call(l.inFlight(), l.target())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("alert_history_publishing_circuit_state")
        .help("A target's circuit breaker: 0 closed, 1 half-open, 2 open.")
        .labelNames("target")
        .callback(cb -> lanes.get().forEach(l -> cb.call(l.circuitState(), l.target())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("alert_history_publishing_dead_letter_queue_size")
        .help("Dead letters held now.")
        .callback(cb -> cb.call(deadLetterCount.getAsInt()))
        .register(registry);
  }

  /** Starts a target's counters at zero so rates work from its first delivery. */
  void laneCreated(String target, String type) {
    deliveries.labelValues(target, type, DELIVERED);
    deliveries.labelValues(target, type, DEAD_LETTERED);
    pacerWaits.labelValues(target);
  }

  /** Drops every series of a retired target. */
  void laneRetired(String target) {
    for (var metric :
        List.of(deliveries, failures, pacerWaits, deadLetters, replays, deduplicated)) {
      metric.removeIf(labels -> labels.getFirst().equals(target));
    }
    latency.removeIf(labels -> labels.getFirst().equals(target));
    // a retired target leaves no series, as target or as fallback
    fallbacks.removeIf(labels -> labels.contains(target));
  }

  void delivered(String target, String type, Duration sinceReceived) {
    deliveries.labelValues(target, type, DELIVERED).inc();
    latency.labelValues(target, type).observe(sinceReceived.toNanos() / 1e9);
  }

  void attemptFailed(String target, FailureReason reason) {
    failures.labelValues(target, reason.label()).inc();
  }

  void deadLettered(String target, String type, DeadLetterReason reason) {
    deliveries.labelValues(target, type, DEAD_LETTERED).inc();
    deadLetters.labelValues(target, reason.wireName()).inc();
  }

  void pacerWait(String target) {
    pacerWaits.labelValues(target).inc();
  }

  void replayed(String target) {
    replays.labelValues(target).inc();
  }

  void deduplicated(String target, int alerts) {
    deduplicated.labelValues(target).inc(alerts);
  }

  void evicted() {
    evicted.inc();
  }

  void handedOver(String target, String fallback) {
    fallbacks.labelValues(target, fallback).inc();
  }
}
