package io.alerthistory.delivery;

import io.alerthistory.attempt.AttemptOutcome;
import io.alerthistory.attempt.FailureReason;
import io.alerthistory.stats.DeliveryObserver;
import io.alerthistory.target.Target;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/** Records what happened to deliveries: history, metrics, dead letters and log lines. */
final class Outcomes {
  private static final Logger log = LoggerFactory.getLogger(DeliveryEngine.class);

  private final DeliveryMetrics metrics;
  private final DeliveryHistory history;
  private final DeadLetterStore deadLetters;
  private final Journal journal;
  private final Clock clock;
  private final DeliveryObserver observer;

  Outcomes(
      DeliveryMetrics metrics,
      DeliveryHistory history,
      DeadLetterStore deadLetters,
      Journal journal,
      Clock clock,
      DeliveryObserver observer) {
    this.metrics = metrics;
    this.history = history;
    this.deadLetters = deadLetters;
    this.journal = journal;
    this.clock = clock;
    this.observer = observer;
  }

  void pacerWait(String target) {
    metrics.pacerWait(target);
    observer.rateLimited(target);
  }

  void queueDepth(String target, int depth) {
    observer.queueDepth(target, depth);
  }

  DeliveryMetrics metrics() {
    return metrics;
  }

  /**
   * @param result {@code delivered}, {@code retry}, {@code dead_lettered} or {@code abandoned}
   */
  void attempted(
      Target t,
      Job job,
      int attempt,
      AttemptOutcome o,
      String result,
      Instant at,
      long latencyNanos) {
    FailureReason failure = o.failure();
    AttemptRecord record =
        new AttemptRecord(
            t.name(),
            job.delivery.id(),
            attempt,
            at.toString(),
            o.status() == 0 ? null : o.status(),
            result,
            failure == null ? null : failure.label(),
            Math.round(latencyNanos / 1e4) / 100.0,
            o.detail());
    if (journal.durable()) {
      journal.attempted(job.delivery.fingerprints(), record);
    } else {
      history.record(job.delivery.fingerprints(), record);
    }
    observer.attempt(t.name(), latencyNanos);
    if (failure != null) {
      metrics.attemptFailed(t.name(), failure);
      observer.failed(t.name(), failure);
      if (failure == FailureReason.RATE_LIMITED) {
        observer.rateLimited(t.name());
      }
    }
  }

  void retryScheduled(Target t, Job job, int attempt, AttemptOutcome o, Duration wait) {
    log.atInfo()
        .addKeyValue("delivery_id", job.delivery.id())
        .addKeyValue("target", t.name())
        .addKeyValue("attempt", attempt)
        .addKeyValue("reason", o.failure().label())
        .addKeyValue("status", o.status())
        .addKeyValue("retry_in_ms", wait.toMillis())
        .log("delivery attempt failed, will retry");
  }

  void delivered(Target t, Job job) {
    Duration took = Duration.between(job.startedAt, clock.instant());
    metrics.delivered(t.name(), t.type().wireName(), took);
    observer.delivered(t.name(), took.toNanos());
    journal.finish(job.delivery.id());
    log.atDebug()
        .addKeyValue("delivery_id", job.delivery.id())
        .addKeyValue("target", t.name())
        .addKeyValue("attempt", job.attempts)
        .log("delivered");
  }

  /** A delivery its target gave up on goes to the target's fallback instead of being parked. */
  void handedOver(Target from, String fallback, Job job, DeadLetterReason reason) {
    metrics.handedOver(from.name(), fallback);
    AttemptOutcome o = job.lastOutcome;
    log.atWarn()
        .addKeyValue("delivery_id", job.delivery.id())
        .addKeyValue("target", from.name())
        .addKeyValue("fallback", fallback)
        .addKeyValue("reason", reason.wireName())
        .addKeyValue("attempts", job.attempts)
        .addKeyValue("last_failure", o == null || o.failure() == null ? null : o.failure().label())
        .addKeyValue("status", o == null ? 0 : o.status())
        .log("delivery failed, sending it once to the target's fallback");
  }

  /** The fallback of a delivery failed too; the original is parked next. */
  void fallbackFailed(Target fallback, Job job, DeadLetterReason reason) {
    AttemptOutcome o = job.lastOutcome;
    log.atWarn()
        .addKeyValue("delivery_id", job.delivery.id())
        .addKeyValue("target", job.handover.from().name())
        .addKeyValue("fallback", fallback.name())
        .addKeyValue("reason", reason.wireName())
        .addKeyValue("last_failure", o == null || o.failure() == null ? null : o.failure().label())
        .addKeyValue("status", o == null ? 0 : o.status())
        .log("fallback delivery failed too, parking the original");
  }

  /** Parks a recovered delivery whose target is gone; no attempt was made in this run. */
  void orphaned(Delivery d, DeadLetterReason reason) {
    deadLetters.add(
        new DeadLetter(Ids.next("dl"), d, reason, null, 0, null, null, 0, null, clock.instant()));
    journal.finish(d.id());
  }

  /**
   * Parks a delivery in the dead-letter queue.
   *
   * @param quietly skip the per-delivery log line (bulk moves log one summary instead)
   */
  void deadLettered(Target t, Job job, DeadLetterReason reason, boolean quietly) {
    if (reason == DeadLetterReason.SHUTDOWN && journal.durable()) {
      // left in the journal: the next start delivers it
      metrics.deadLettered(t.name(), t.type().wireName(), reason);
      return;
    }
    AttemptOutcome o = job.lastOutcome;
    boolean answered = o != null && o.status() > 0;
    DeadLetter letter =
        new DeadLetter(
            Ids.next("dl"),
            job.delivery,
            reason,
            o == null ? null : o.failure(),
            o == null ? 0 : o.status(),
            o == null ? null : answered ? "HTTP " + o.status() : o.detail(),
            answered ? o.detail() : null,
            job.attempts,
            job.lastAttemptAt,
            clock.instant());
    deadLetters
        .add(letter)
        .ifPresent(
            evicted -> {
              metrics.evicted();
              log.atWarn()
                  .addKeyValue("dead_letter_id", evicted.id())
                  .addKeyValue("target", evicted.target())
                  .log("dead-letter queue full, oldest letter dropped");
            });
    journal.finish(job.delivery.id());
    metrics.deadLettered(t.name(), t.type().wireName(), reason);
    observer.deadLettered(t.name());
    if (!quietly) {
      LoggingEventBuilder e =
          reason == DeadLetterReason.MAX_AGE || o == null ? log.atWarn() : log.atError();
      e.addKeyValue("delivery_id", job.delivery.id())
          .addKeyValue("dead_letter_id", letter.id())
          .addKeyValue("target", t.name())
          .addKeyValue("reason", reason.wireName())
          .addKeyValue("attempts", job.attempts)
          .addKeyValue(
              "last_failure", letter.lastFailure() == null ? null : letter.lastFailure().label())
          .addKeyValue("status", letter.lastStatus())
          .addKeyValue("response_excerpt", letter.responseExcerpt())
          .addKeyValue("fingerprints", job.delivery.fingerprints())
          .log(
              switch (reason) {
                case PERMANENT_FAILURE -> "delivery failed permanently";
                case ATTEMPTS_EXHAUSTED -> "delivery failed after last attempt";
                case MAX_AGE -> "delivery not done within DELIVERY_MAX_AGE";
                case TARGET_REMOVED -> "delivery dropped with its target";
                case SHUTDOWN -> "delivery abandoned at shutdown";
              });
    }
  }
}
