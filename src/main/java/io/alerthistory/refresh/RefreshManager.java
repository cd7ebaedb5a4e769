package io.alerthistory.refresh;

import io.alerthistory.config.Durations;
import io.alerthistory.refresh.RefreshStatus.Phase;
import io.alerthistory.target.Redaction;
import io.alerthistory.target.SourceEntry;
import io.alerthistory.target.Target;
import io.alerthistory.target.TargetParser;
import io.alerthistory.target.TargetRegistry;
import io.alerthistory.target.TargetSnapshot;
import io.alerthistory.target.source.TargetSource;
import io.alerthistory.target.source.TargetSourceException;
import io.alerthistory.target.source.TargetSourceException.ErrorType;
import io.alerthistory.time.Scheduler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link TargetRegistry} in step with a {@link TargetSource} (DESIGN §4): applies watched
 * changes at once, re-lists everything periodically and on request, retries transient failures with
 * backoff, and always keeps the last good snapshot.
 *
 * <p>Only one refresh runs at a time. A timer that fires while another refresh runs is skipped: the
 * running refresh schedules the next one when it ends. Retries replace the periodic schedule until
 * a refresh succeeds or retries are exhausted; then the periodic schedule resumes one interval
 * later. The first periodic refresh after the immediate start-up one comes after the warm-up.
 *
 * <p>The manager owns the scheduler and the source: {@link #stop(Duration)} shuts both down. Its
 * own threads are virtual and named {@code refresh-*}.
 */
public final class RefreshManager {
  private static final Logger log = LoggerFactory.getLogger(RefreshManager.class);

  private enum Trigger {
    STARTUP,
    PERIODIC,
    RETRY,
    MANUAL;

    final String label = name().toLowerCase(Locale.ROOT);
  }

  /** Everything {@link #status()} reports besides the snapshot; replaced whole, never mutated. */
  private record State(
      Phase phase,
      Instant lastRefresh,
      Instant nextRefresh,
      long durationMs,
      int consecutiveFailures,
      String error,
      Instant lastChangeAt) {

    State withPhase(Phase p) {
      return new State(
          p, lastRefresh, nextRefresh, durationMs, consecutiveFailures, error, lastChangeAt);
    }

    State withNextRefresh(Instant next) {
      return new State(
          phase, lastRefresh, next, durationMs, consecutiveFailures, error, lastChangeAt);
    }

    State withLastChangeAt(Instant at) {
      return new State(phase, lastRefresh, nextRefresh, durationMs, consecutiveFailures, error, at);
    }

    /** The phase to show when no refresh runs. */
    Phase settled() {
      return lastRefresh == null ? Phase.IDLE : error == null ? Phase.SUCCESS : Phase.FAILED;
    }
  }

  /** One running refresh; {@link #cancel()} stops its wait and its listing. */
  private static final class Flight {
    final Trigger trigger;
    final String requestId;
    final Instant startedAt;
    volatile Thread runner;
    volatile Future<?> listing;

    Flight(Trigger trigger, String requestId, Instant startedAt) {
      this.trigger = trigger;
      this.requestId = requestId;
      this.startedAt = startedAt;
    }

    void cancel() {
      Future<?> l = listing;
      if (l != null) {
        l.cancel(true);
      }
      Thread t = runner;
      if (t != null) {
        t.interrupt();
      }
    }
  }

  private final TargetSource source;
  private final TargetParser parser;
  private final TargetRegistry registry;
  private final RefreshSettings settings;
  private final Clock clock;
  private final Scheduler scheduler;
  private final RefreshMetrics metrics;
  private final String sourceName;

  private final AtomicReference<State> state =
      new AtomicReference<>(new State(Phase.IDLE, null, null, 0, 0, null, null));

  // Claiming and releasing the flight, and the manual rate limit, happen under flightLock so
  // that the state a caller sees always agrees with whether a refresh runs.
  private final ReentrantLock flightLock = new ReentrantLock();
  private volatile Flight flight;
  private Instant lastManual;

  // A refresh whose listing began before a watched change was applied must not overwrite it.
  private final ReentrantLock applyLock = new ReentrantLock();
  private volatile long changeSeq;

  private final ReentrantLock timerLock = new ReentrantLock();
  private Scheduler.Cancellable timer;

  // Touched only by the thread holding the flight.
  private int retryAttempt;

  private final CountDownLatch firstAttempt = new CountDownLatch(1);
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean stopped;
  private final Set<Thread> owned = ConcurrentHashMap.newKeySet();
  private final AtomicLong threadIds = new AtomicLong();

  public RefreshManager(
      TargetSource source,
      TargetParser parser,
      TargetRegistry registry,
      RefreshSettings settings,
      Clock clock,
      Scheduler scheduler,
      PrometheusRegistry metrics) {
    this.source = Objects.requireNonNull(source);
    this.parser = Objects.requireNonNull(parser);
    this.registry = Objects.requireNonNull(registry);
    this.settings = Objects.requireNonNull(settings);
    this.clock = Objects.requireNonNull(clock);
    this.scheduler = Objects.requireNonNull(scheduler);
    if (!settings.interval().isPositive() || !settings.timeout().isPositive()) {
      throw new IllegalArgumentException("refresh interval and timeout must be positive");
    }
    this.metrics = new RefreshMetrics(metrics);
    this.sourceName = source.name();
    registry.onChange(this.metrics::snapshot);
    TargetSnapshot current = registry.current();
    if (current != null) {
      this.metrics.snapshot(current);
    }
  }

  /**
   * Starts watching the source and runs the first full refresh at once, in the background; {@link
   * #awaitFirstLoad(Duration)} waits for it.
   */
  public void start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("refresh manager already started");
    }
    log.atInfo()
        .addKeyValue("source", sourceName)
        .addKeyValue("interval", Durations.format(settings.interval()))
        .addKeyValue("warmup", Durations.format(settings.warmup()))
        .log("target refresh starting");
    // Watch before listing, so no change between the listing and the watch is missed.
    try {
      source.watch(this::onWatched);
    } catch (RuntimeException e) {
      log.atWarn()
          .addKeyValue("source", sourceName)
          .addKeyValue("error", e.getClass().getSimpleName())
          .log("target watch could not start; relying on periodic refresh");
    }
    scheduleNext(Duration.ZERO, Trigger.STARTUP);
  }

  /**
   * Waits until the first refresh attempt has ended (or {@link #stop(Duration)} was called).
   *
   * @return whether a snapshot is loaded
   */
  public boolean awaitFirstLoad(Duration timeout) throws InterruptedException {
    firstAttempt.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    return registry.isLoaded();
  }

  /** Asks for a full refresh now, with a generated request id. */
  public RefreshResult refreshNow() {
    return refreshNow(null);
  }

  /**
   * Asks for a full refresh now; it runs in the background. A running refresh wins over the rate
   * limit: while one runs the answer is {@link RefreshResult.AlreadyRunning}, and only otherwise a
   * call within {@code rateLimit} of the last accepted one is {@link RefreshResult.RateLimited}.
   *
   * @param requestId echoed in the result and the logs of this refresh; generated when null
   * @throws IllegalStateException before {@link #start()} or after {@link #stop(Duration)}
   */
  public RefreshResult refreshNow(String requestId) {
    if (requestId == null) {
      requestId = UUID.randomUUID().toString();
    }
    Flight f;
    flightLock.lock();
    try {
      if (!started.get() || stopped) {
        throw new IllegalStateException("refresh manager is not running");
      }
      Flight current = flight;
      if (current != null) {
        return new RefreshResult.AlreadyRunning(current.startedAt);
      }
      Instant now = clock.instant();
      if (lastManual != null) {
        Duration since = Duration.between(lastManual, now);
        if (since.compareTo(settings.rateLimit()) < 0) {
          return new RefreshResult.RateLimited(wholeSeconds(settings.rateLimit().minus(since)));
        }
      }
      lastManual = now;
      f = claimLocked(Trigger.MANUAL, requestId, now);
      Flight claimed = f;
      Thread runner = ownedThread("refresh-manual-", () -> run(claimed));
      f.runner = runner;
      // Started under the lock so that stop() finds it among the owned threads.
      runner.start();
    } finally {
      flightLock.unlock();
    }
    return new RefreshResult.Started(requestId, f.startedAt);
  }

  /** The refresh status; cheap enough to call on every request. */
  public RefreshStatus status() {
    State s = state.get();
    TargetSnapshot snap = registry.current();
    int valid = 0;
    int invalid = 0;
    long age = -1;
    if (snap != null) {
      valid = snap.targets().size();
      invalid = snap.invalid().size();
      age = Math.max(0, (clock.millis() - snap.loadedAt().toEpochMilli()) / 1000);
    }
    return new RefreshStatus(
        s.phase,
        s.lastRefresh,
        s.nextRefresh,
        s.durationMs,
        valid + invalid,
        valid,
        invalid,
        s.consecutiveFailures,
        s.error,
        sourceName,
        source.watching(),
        s.lastChangeAt,
        age);
  }

  /**
   * Cancels scheduled refreshes, interrupts a running one, closes the source and waits for every
   * thread the manager and its scheduler started to end.
   *
   * @return whether all of them ended within {@code timeout}; a source call that ignores interrupts
   *     can keep its thread alive past it
   */
  public boolean stop(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Flight running = null;
    boolean first = false;
    flightLock.lock();
    try {
      if (!stopped) {
        stopped = true;
        first = true;
        running = flight;
      }
    } finally {
      flightLock.unlock();
    }
    if (first) {
      timerLock.lock();
      try {
        if (timer != null) {
          timer.cancel();
          timer = null;
        }
      } finally {
        timerLock.unlock();
      }
      state.updateAndGet(s -> s.withNextRefresh(null));
      if (running != null) {
        running.cancel();
      }
      // Closing a watch can block on the network; it must not hold stop past its timeout.
      ownedThread("refresh-close-", this::closeSource).start();
      firstAttempt.countDown();
    }
    boolean ended = scheduler.shutdown(Duration.ofNanos(remaining(deadline)));
    try {
      for (Thread t : List.copyOf(owned)) {
        ended &= t.join(Duration.ofNanos(remaining(deadline)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ended = false;
    }
    log.atInfo()
        .addKeyValue("source", sourceName)
        .addKeyValue("clean", ended)
        .log("target refresh stopped");
    return ended;
  }

  private void closeSource() {
    try {
      source.close();
    } catch (RuntimeException e) {
      log.atWarn()
          .addKeyValue("source", sourceName)
          .addKeyValue("error", e.getClass().getSimpleName())
          .log("closing target source failed");
    }
  }

  private void onWatched(List<SourceEntry> entries) {
    if (stopped) {
      return;
    }
    try {
      Instant now = clock.instant();
      TargetSnapshot snap = TargetSnapshot.build(entries, parser, now);
      applyLock.lock();
      try {
        changeSeq++;
        registry.replace(snap);
      } finally {
        applyLock.unlock();
      }
      state.updateAndGet(s -> s.withLastChangeAt(now));
      log.atInfo()
          .addKeyValue("source", sourceName)
          .addKeyValue("valid", snap.targets().size())
          .addKeyValue("invalid", snap.invalid().size())
          .log("watched target change applied");
    } catch (RuntimeException e) {
      log.atError()
          .setCause(e)
          .addKeyValue("source", sourceName)
          .log("applying watched target change failed");
    }
  }

  private void scheduleNext(Duration delay, Trigger trigger) {
    timerLock.lock();
    try {
      if (stopped) {
        return;
      }
      if (timer != null) {
        timer.cancel();
      }
      Instant due = clock.instant().plus(delay);
      timer = scheduler.schedule(delay, () -> onTimer(trigger));
      state.updateAndGet(s -> s.withNextRefresh(due));
    } finally {
      timerLock.unlock();
    }
  }

  private void onTimer(Trigger trigger) {
    Flight f;
    flightLock.lock();
    try {
      if (stopped) {
        return;
      }
      if (flight != null) {
        log.atDebug()
            .addKeyValue("trigger", trigger.label)
            .log("refresh skipped: another one is running");
        return;
      }
      f = claimLocked(trigger, null, clock.instant());
    } finally {
      flightLock.unlock();
    }
    run(f);
  }

  private Flight claimLocked(Trigger trigger, String requestId, Instant now) {
    Flight f = new Flight(trigger, requestId, now);
    flight = f;
    state.updateAndGet(s -> s.withPhase(Phase.IN_PROGRESS));
    metrics.started();
    log.atInfo()
        .addKeyValue("trigger", trigger.label)
        .addKeyValue("request_id", requestId)
        .addKeyValue("source", sourceName)
        .log("target refresh started");
    return f;
  }

  private void run(Flight f) {
    f.runner = Thread.currentThread();
    long seq = changeSeq;
    try {
      if (stopped) {
        throw new InterruptedException("stopped");
      }
      List<SourceEntry> entries = listWithTimeout(f);
      TargetSnapshot snap = build(entries);
      finishSuccess(f, snap, applyListing(snap, seq));
    } catch (TargetSourceException e) {
      finishFailure(f, e);
    } catch (InterruptedException e) {
      finishCancelled(f);
    } catch (RuntimeException e) {
      log.atError().setCause(e).log("target refresh failed unexpectedly");
      finishFailure(
          f,
          new TargetSourceException(
              "unexpected " + e.getClass().getSimpleName(), ErrorType.SERVER, e));
    } finally {
      firstAttempt.countDown();
    }
  }

  private List<SourceEntry> listWithTimeout(Flight f)
      throws TargetSourceException, InterruptedException {
    FutureTask<List<SourceEntry>> task = new FutureTask<>(source::list);
    Thread t = ownedThread("refresh-list-", task);
    f.listing = task;
    t.start();
    try {
      return task.get(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      task.cancel(true);
      throw new TargetSourceException(
          "listing targets took longer than " + Durations.format(settings.timeout()),
          ErrorType.TIMEOUT,
          null);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TargetSourceException tse) {
        throw tse;
      }
      // A source bug or an unclassified failure: retrying is cheap and may help.
      throw new TargetSourceException(
          "listing targets failed: " + e.getCause().getClass().getSimpleName(),
          ErrorType.SERVER,
          e.getCause());
    } catch (CancellationException e) {
      throw new InterruptedException("listing cancelled");
    } catch (InterruptedException e) {
      task.cancel(true);
      throw e;
    } finally {
      f.listing = null;
    }
  }

  private TargetSnapshot build(List<SourceEntry> entries) throws TargetSourceException {
    try {
      return TargetSnapshot.build(entries, parser, clock.instant());
    } catch (RuntimeException e) {
      throw new TargetSourceException(
          "building the target snapshot failed: " + e.getClass().getSimpleName(),
          ErrorType.PARSE,
          e);
    }
  }

  private boolean applyListing(TargetSnapshot snap, long seqAtStart) {
    applyLock.lock();
    try {
      if (changeSeq != seqAtStart) {
        return false;
      }
      registry.replace(snap);
      return true;
    } finally {
      applyLock.unlock();
    }
  }

  private void finishSuccess(Flight f, TargetSnapshot snap, boolean applied) {
    Instant now = clock.instant();
    Duration took = took(f, now);
    retryAttempt = 0;
    metrics.succeeded(took, now);
    log.atInfo()
        .addKeyValue("trigger", f.trigger.label)
        .addKeyValue("request_id", f.requestId)
        .addKeyValue("source", sourceName)
        .addKeyValue("duration_ms", took.toMillis())
        .addKeyValue("discovered", snap.targets().size() + snap.invalid().size())
        .addKeyValue("valid", snap.targets().size())
        .addKeyValue("invalid", snap.invalid().size())
        .addKeyValue("applied", applied)
        .log("target refresh finished");
    release(
        f,
        s -> new State(Phase.SUCCESS, now, s.nextRefresh, took.toMillis(), 0, null, s.lastChangeAt),
        f.trigger == Trigger.STARTUP ? settings.warmup() : settings.interval(),
        Trigger.PERIODIC);
  }

  private void finishFailure(Flight f, TargetSourceException e) {
    Instant now = clock.instant();
    Duration took = took(f, now);
    ErrorType type = e.type();
    String message = scrub(e.getMessage());
    int failures = state.get().consecutiveFailures + 1;
    metrics.failed(took, type, failures);
    Duration delay;
    Trigger next;
    if (type.isTransient() && retryAttempt < settings.maxRetries()) {
      retryAttempt++;
      delay = backoff(retryAttempt, settings.baseBackoff(), settings.maxBackoff());
      next = Trigger.RETRY;
    } else {
      retryAttempt = 0;
      delay = f.trigger == Trigger.STARTUP ? settings.warmup() : settings.interval();
      next = Trigger.PERIODIC;
    }
    log.atWarn()
        .addKeyValue("trigger", f.trigger.label)
        .addKeyValue("request_id", f.requestId)
        .addKeyValue("source", sourceName)
        .addKeyValue("duration_ms", took.toMillis())
        .addKeyValue("error_type", type.label())
        .addKeyValue("error", message)
        .addKeyValue("consecutive_failures", failures)
        .addKeyValue("next", next.label)
        .addKeyValue("next_in", Durations.format(delay))
        .log("target refresh failed; serving the last good snapshot");
    release(
        f,
        s ->
            new State(
                Phase.FAILED,
                now,
                s.nextRefresh,
                took.toMillis(),
                failures,
                message,
                s.lastChangeAt),
        delay,
        next);
  }

  private void finishCancelled(Flight f) {
    metrics.cancelled();
    log.atInfo()
        .addKeyValue("trigger", f.trigger.label)
        .addKeyValue("request_id", f.requestId)
        .addKeyValue("source", sourceName)
        .log("target refresh cancelled");
    release(f, s -> s.withPhase(s.settled()), null, null);
  }

  /**
   * Schedules the next refresh, publishes the final state and frees the flight in one step, so a
   * timer that fires meanwhile never finds this refresh still running and skips itself.
   */
  private void release(
      Flight f, UnaryOperator<State> finalState, Duration nextDelay, Trigger nextTrigger) {
    flightLock.lock();
    try {
      if (nextDelay != null) {
        scheduleNext(nextDelay, nextTrigger);
      }
      state.updateAndGet(finalState);
      if (flight == f) {
        flight = null;
      }
    } finally {
      flightLock.unlock();
    }
  }

  private Duration took(Flight f, Instant now) {
    Duration d = Duration.between(f.startedAt, now);
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** Source errors should not carry secrets; scrub the ones we know of anyway. */
  private String scrub(String message) {
    TargetSnapshot snap = registry.current();
    if (message == null || snap == null) {
      return message;
    }
    List<String> secrets = new ArrayList<>();
    for (Target t : snap.targets().values()) {
      secrets.addAll(t.secrets());
    }
    return Redaction.scrub(message, secrets);
  }

  /** An unstarted virtual thread that stop() waits for; callers start it right away. */
  private Thread ownedThread(String prefix, Runnable task) {
    Thread t =
        Thread.ofVirtual()
            .name(prefix + threadIds.incrementAndGet())
            .unstarted(
                () -> {
                  try {
                    task.run();
                  } finally {
                    owned.remove(Thread.currentThread());
                  }
                });
    owned.add(t);
    return t;
  }

  /** Delay before retry number {@code retry} (1-based): base, doubled each time, capped. */
  static Duration backoff(int retry, Duration base, Duration max) {
    Duration d = base;
    for (int i = 1; i < retry && d.compareTo(max) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(max) > 0 ? max : d;
  }

  /** Rounded up to whole seconds, at least one: the value of a Retry-After header. */
  static Duration wholeSeconds(Duration d) {
    long s = (d.toNanos() + 999_999_999L) / 1_000_000_000L;
    return Duration.ofSeconds(Math.max(1, s));
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }
}
