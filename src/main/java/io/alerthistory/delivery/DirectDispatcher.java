package io.alerthistory.delivery;

import io.alerthistory.alert.Alert;
import io.alerthistory.alert.Notification;
import io.alerthistory.format.Formatters;
import io.alerthistory.target.Target;
import io.alerthistory.target.TargetRegistry;
import io.alerthistory.target.TargetSnapshot;
import io.alerthistory.target.TargetType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each delivery on its own virtual thread, retrying transient failures with backoff up to a
 * bounded number of attempts. The number of deliveries in flight is capped; past the cap nothing is
 * taken and the caller is told to come back later.
 */
public final class DirectDispatcher implements Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(DirectDispatcher.class);
  private static final Duration RETRY_AFTER_WHEN_FULL = Duration.ofSeconds(5);

  /** Waits between attempts; injected so tests need not wait. */
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final TargetRegistry registry;
  private final Formatters formatters;
  private final Sender http;
  private final Sender logSender;
  private final DeliveryMetrics metrics;
  private final Clock clock;
  private final Backoff backoff;
  private final Sleeper sleeper;
  private final int maxAttempts;
  private final Semaphore capacity;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private volatile boolean closed;

  public DirectDispatcher(
      TargetRegistry registry,
      Formatters formatters,
      Sender http,
      Sender logSender,
      DeliveryMetrics metrics,
      Clock clock,
      Backoff backoff,
      Sleeper sleeper,
      int maxAttempts,
      int maxInFlight) {
    this.registry = registry;
    this.formatters = formatters;
    this.http = http;
    this.logSender = logSender;
    this.metrics = metrics;
    this.clock = clock;
    this.backoff = backoff;
    this.sleeper = sleeper;
    this.maxAttempts = maxAttempts;
    this.capacity = new Semaphore(maxInFlight);
  }

  @Override
  public Result dispatch(Notification notification) {
    if (closed) {
      return new Overloaded(RETRY_AFTER_WHEN_FULL, "shutting down");
    }
    TargetSnapshot snapshot = registry.current();
    if (snapshot == null) {
      return new Overloaded(RETRY_AFTER_WHEN_FULL, "targets not loaded yet");
    }
    Instant receivedAt = clock.instant();
    List<Delivery> deliveries = new ArrayList<>();
    for (Target t : snapshot.enabled()) {
      List<Alert> matching =
          notification.alerts().stream().filter(a -> t.accepts(a.labels())).toList();
      if (!matching.isEmpty()) {
        deliveries.add(new Delivery(DeliveryIds.next(), t, notification, matching, receivedAt));
      }
    }
    if (deliveries.isEmpty()) {
      return new Queued(0);
    }
    if (!capacity.tryAcquire(deliveries.size())) {
      return new Overloaded(RETRY_AFTER_WHEN_FULL, "delivery capacity is full");
    }
    for (Delivery d : deliveries) {
      inFlight.incrementAndGet();
      workers.execute(() -> run(d));
    }
    return new Queued(deliveries.size());
  }

  private void run(Delivery d) {
    String outcome = "abandoned";
    try {
      outcome = attempt(d);
    } catch (InterruptedException e) {
      log.atWarn()
          .addKeyValue("delivery_id", d.id())
          .addKeyValue("target", d.target().name())
          .log("delivery abandoned at shutdown");
    } catch (RuntimeException e) {
      outcome = "failed";
      log.atError()
          .addKeyValue("delivery_id", d.id())
          .addKeyValue("target", d.target().name())
          .setCause(e)
          .log("delivery crashed");
    } finally {
      metrics.finished(d, outcome, Duration.between(d.receivedAt(), clock.instant()));
      inFlight.decrementAndGet();
      capacity.release();
    }
  }

  private String attempt(Delivery d) throws InterruptedException {
    Target t = d.target();
    byte[] body = formatters.get(t.format()).render(d.notification(), d.alerts());
    Sender sender = t.type() == TargetType.LOG ? logSender : http;
    for (int attempt = 1; ; attempt++) {
      AttemptOutcome result = sender.send(t, body);
      switch (result) {
        case AttemptOutcome.Delivered ok -> {
          log.atDebug()
              .addKeyValue("delivery_id", d.id())
              .addKeyValue("target", t.name())
              .addKeyValue("attempt", attempt)
              .log("delivered");
          return "delivered";
        }
        case AttemptOutcome.DeadLetter dead -> {
          metrics.attemptFailed(d, dead.reason());
          logFailure(
              d,
              attempt,
              dead.reason(),
              dead.status(),
              dead.detail(),
              "delivery failed permanently");
          return "failed";
        }
        case AttemptOutcome.Retry retry -> {
          metrics.attemptFailed(d, retry.reason());
          if (attempt >= maxAttempts) {
            logFailure(
                d,
                attempt,
                retry.reason(),
                retry.status(),
                retry.detail(),
                "delivery failed after last attempt");
            return "failed";
          }
          Duration wait = backoff.delay(attempt, retry.retryAfter());
          log.atInfo()
              .addKeyValue("delivery_id", d.id())
              .addKeyValue("target", t.name())
              .addKeyValue("attempt", attempt)
              .addKeyValue("reason", retry.reason().label())
              .addKeyValue("status", retry.status())
              .addKeyValue("retry_in_ms", wait.toMillis())
              .log("delivery attempt failed, will retry");
          sleeper.sleep(wait);
        }
      }
    }
  }

  private static void logFailure(
      Delivery d, int attempt, FailureReason reason, int status, String detail, String message) {
    log.atError()
        .addKeyValue("delivery_id", d.id())
        .addKeyValue("target", d.target().name())
        .addKeyValue("attempt", attempt)
        .addKeyValue("reason", reason.label())
        .addKeyValue("status", status)
        .addKeyValue("response_excerpt", detail)
        .addKeyValue("fingerprints", d.alerts().stream().map(Alert::fingerprint).toList())
        .log(message);
  }

  /** Deliveries started and not yet finished. */
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public void shutdown(Duration timeout) {
    closed = true;
    workers.shutdown();
    try {
      if (!workers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        log.atWarn()
            .addKeyValue("in_flight", inFlight.get())
            .log("shutdown timeout reached, abandoning deliveries in flight");
        workers.shutdownNow();
        workers.awaitTermination(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
