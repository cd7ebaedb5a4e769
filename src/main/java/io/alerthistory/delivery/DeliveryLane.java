package io.alerthistory.delivery;

import io.alerthistory.attempt.AttemptOutcome;
import io.alerthistory.attempt.FailureReason;
import io.alerthistory.target.RateLimit;
import io.alerthistory.target.Target;
import io.alerthistory.time.Scheduler;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One target's lane: a bounded priority queue (FIFO within a class), at most {@code concurrency}
 * requests in flight, a rate pacer and a circuit breaker. Nothing waits on a thread: a delivery
 * that cannot go now stays queued and a timer on the scheduler wakes the lane when it can.
 */
final class DeliveryLane {
  private final String name;
  private final LaneServices s;
  private final CircuitBreaker breaker;
  private final ReentrantLock lock = new ReentrantLock();

  /** Deliveries held: queued, retrying, in flight, or reserved by intake. Bounds the lane. */
  private final AtomicInteger owned = new AtomicInteger();

  private final AtomicBoolean drained = new AtomicBoolean();

  private volatile Target target;
  private volatile Instant openUntil = Instant.MIN;

  // guarded by lock
  private final List<ArrayDeque<Job>> ready = new ArrayList<>();
  private final Set<Job> retrying = new LinkedHashSet<>();
  private final Set<Job> inFlight = new LinkedHashSet<>();
  private RatePacer pacer;
  private boolean pacerWaiting;
  private Scheduler.Cancellable wakeup;
  private Instant wakeupAt;
  private Instant sweptAt = Instant.MIN;

  /** No waiting delivery expires before this (a lower bound kept by sweeps and enqueues). */
  private Instant nextExpiry = Instant.MAX;

  private boolean retired;
  private DeadLetterReason retiredFor;
  private boolean halted;

  DeliveryLane(Target target, LaneServices s) {
    this.name = target.name();
    this.target = target;
    this.s = s;
    for (int i = 0; i < Priority.values().length; i++) {
      ready.add(new ArrayDeque<>());
    }
    this.pacer = new RatePacer(limitOf(target), s.clock().instant());
    DeliverySettings c = s.settings();
    this.breaker =
        CircuitBreaker.of(
            name,
            CircuitBreakerConfig.custom()
                .failureRateThreshold(c.breakerFailureRate())
                .slidingWindow(
                    c.breakerWindow(),
                    c.breakerMinimumCalls(),
                    CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .waitDurationInOpenState(c.breakerOpenDuration())
                .permittedNumberOfCallsInHalfOpenState(c.breakerProbes())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .writableStackTraceEnabled(false)
                .clock(s.clock())
                .build());
    breaker
        .getEventPublisher()
        .onStateTransition(
            e -> {
              if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                // the breaker lets probes through only once strictly after its wait
                openUntil = s.clock().instant().plus(c.breakerOpenDuration()).plusMillis(1);
              }
            });
  }

  private static RateLimit limitOf(Target t) {
    return t.rateLimit() != null ? t.rateLimit() : t.type().defaultRateLimit();
  }

  String name() {
    return name;
  }

  Target target() {
    return target;
  }

  /** The next attempt uses the changed settings; a new rate limit applies at once. */
  void update(Target next) {
    target = next;
    lock.lock();
    try {
      RateLimit limit = limitOf(next);
      if (!Objects.equals(limit, pacer.limit())) {
        pacer = pacer.withLimit(limit, s.clock().instant());
      }
    } finally {
      lock.unlock();
    }
  }

  /** Claims room for {@code n} deliveries; false, claiming nothing, when the lane is full. */
  boolean tryReserve(int n) {
    int capacity = s.settings().queueCapacity();
    while (true) {
      int now = owned.get();
      if (now + n > capacity) {
        return false;
      }
      if (owned.compareAndSet(now, now + n)) {
        return true;
      }
    }
  }

  /** Takes room even past the capacity, for deliveries accepted before a restart. */
  void reserveBeyondCapacity(int n) {
    owned.addAndGet(n);
  }

  void release(int n) {
    owned.addAndGet(-n);
  }

  /** Queues a delivery room was reserved for; {@link #pump} then starts it when it can. */
  void enqueueReserved(Job job) {
    DeadLetterReason late;
    lock.lock();
    try {
      late = retiredFor;
      if (late == null) {
        job.state = JobState.QUEUED;
        ready.get(job.priority.ordinal()).addLast(job);
        nextExpiry = earlier(nextExpiry, expiry(job));
      }
    } finally {
      lock.unlock();
    }
    if (late != null) {
      // retired while the job's journal write was under way
      finishDead(target, job, late, true);
      return;
    }
    s.outcomes().queueDepth(name, owned.get());
  }

  /** Starts as many queued deliveries as the concurrency limit, pacer and breaker allow. */
  void pump() {
    List<Job> start = new ArrayList<>();
    List<Job> expired = new ArrayList<>();
    lock.lock();
    try {
      if (halted) {
        return;
      }
      Instant now = s.clock().instant();
      while (inFlight.size() < s.settings().concurrency()) {
        Job next = peek();
        if (next == null) {
          break;
        }
        if (tooOld(next, now)) {
          poll();
          expired.add(next);
          continue;
        }
        Duration wait = pacer.waitTime(now);
        if (wait.isPositive()) {
          if (!pacerWaiting) {
            pacerWaiting = true;
            s.outcomes().pacerWait(name);
          }
          heldUp(now, now.plus(wait), expired);
          break;
        }
        pacerWaiting = false;
        if (!breaker.tryAcquirePermission()) {
          // half-open with every probe out: a probe's completion pumps again
          if (breaker.getState() == CircuitBreaker.State.OPEN) {
            Instant until = openUntil;
            heldUp(now, until.isAfter(now) ? until : now.plusMillis(10), expired);
          }
          break;
        }
        pacer.take(now);
        poll();
        next.state = JobState.IN_FLIGHT;
        next.attempts++;
        inFlight.add(next);
        start.add(next);
      }
    } finally {
      lock.unlock();
    }
    Target t = target;
    for (Job j : expired) {
      finishDead(t, j, DeadLetterReason.MAX_AGE, false);
    }
    for (Job j : start) {
      try {
        s.workers().execute(() -> attempt(j));
      } catch (RejectedExecutionException e) {
        notStarted(t, j);
      }
    }
  }

  /** The workers stopped (shutdown) between taking a delivery and starting it. */
  private void notStarted(Target t, Job job) {
    lock.lock();
    try {
      inFlight.remove(job);
      job.attempts--;
    } finally {
      lock.unlock();
    }
    finishDead(t, job, DeadLetterReason.SHUTDOWN, true);
  }

  private boolean tooOld(Job job, Instant now) {
    return !now.isBefore(job.startedAt.plus(s.settings().maxAge()));
  }

  private Instant expiry(Job job) {
    return job.startedAt.plus(s.settings().maxAge());
  }

  /**
   * The lane cannot send before {@code until}. Deliveries waiting meanwhile may pass their max age:
   * those that have are taken out, and the lane wakes at the next expiry if that is sooner.
   */
  private void heldUp(Instant now, Instant until, List<Job> expired) {
    // only once one may have expired (nextExpiry is never later than the earliest queued expiry),
    // and at most once a second: intake pumps on every notification and the queue may be long
    if (!now.isBefore(nextExpiry) && !now.isBefore(sweptAt.plusSeconds(1))) {
      sweptAt = now;
      Instant earliest = Instant.MAX;
      for (ArrayDeque<Job> q : ready) {
        for (Iterator<Job> it = q.iterator(); it.hasNext(); ) {
          Job j = it.next();
          if (tooOld(j, now)) {
            it.remove();
            expired.add(j);
          } else {
            earliest = earlier(earliest, expiry(j));
          }
        }
      }
      for (Job j : retrying) {
        earliest = earlier(earliest, expiry(j));
      }
      nextExpiry = earliest;
    }
    Instant nextSweep = sweptAt.plusSeconds(1);
    wakeAt(earlier(until, nextExpiry.isBefore(nextSweep) ? nextSweep : nextExpiry), now);
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private Job peek() {
    for (ArrayDeque<Job> q : ready) {
      if (!q.isEmpty()) {
        return q.peekFirst();
      }
    }
    return null;
  }

  private void poll() {
    for (ArrayDeque<Job> q : ready) {
      if (!q.isEmpty()) {
        q.pollFirst();
        return;
      }
    }
  }

  /** Makes sure the lane is pumped again at {@code at}; an earlier wake-up already set wins. */
  private void wakeAt(Instant at, Instant now) {
    if (wakeup != null && !wakeupAt.isAfter(at)) {
      return;
    }
    if (wakeup != null) {
      wakeup.cancel();
    }
    wakeupAt = at;
    wakeup =
        s.scheduler()
            .schedule(
                Duration.between(now, at),
                () -> {
                  lock.lock();
                  try {
                    wakeup = null;
                  } finally {
                    lock.unlock();
                  }
                  pump();
                });
  }

  /** Runs on a worker thread: one request, then the bookkeeping. */
  private void attempt(Job job) {
    Target t = target;
    Instant at = s.clock().instant();
    long started = System.nanoTime();
    AttemptOutcome o = s.runner().run(t, job.delivery);
    long latency = System.nanoTime() - started;
    switch (o) {
      case AttemptOutcome.Retry r when r.reason() == FailureReason.RATE_LIMITED ->
          breaker.releasePermission();
      case AttemptOutcome.Retry r ->
          breaker.onError(latency, TimeUnit.NANOSECONDS, new TargetFailure(r.reason()));
      // a delivered or refused request shows the target is up
      default -> breaker.onSuccess(latency, TimeUnit.NANOSECONDS);
    }
    completed(job, t, o, at, latency);
  }

  private void completed(Job job, Target t, AttemptOutcome o, Instant at, long latency) {
    Instant now = s.clock().instant();
    DeadLetterReason dead = null;
    Duration retryIn = null;
    int attempt;
    lock.lock();
    try {
      inFlight.remove(job);
      attempt = job.attempts;
      job.lastOutcome = o;
      job.lastAttemptAt = at;
      switch (o) {
        case AttemptOutcome.Delivered d -> {}
        case AttemptOutcome.DeadLetter d -> dead = DeadLetterReason.PERMANENT_FAILURE;
        case AttemptOutcome.Retry r -> {
          if (r.retryAfter() != null) {
            pacer.pauseUntil(now.plus(r.retryAfter()));
          }
          if (halted) {
            dead = DeadLetterReason.SHUTDOWN;
          } else if (retired) {
            dead = DeadLetterReason.TARGET_REMOVED;
          } else if (job.attempts >= job.maxAttempts(s.settings().maxAttempts())) {
            dead = DeadLetterReason.ATTEMPTS_EXHAUSTED;
          } else {
            Duration delay = s.backoff().delay(job.attempts, r.retryAfter());
            if (tooOld(job, now.plus(delay))) {
              dead = DeadLetterReason.MAX_AGE;
            } else {
              job.state = JobState.RETRYING;
              job.nextAttemptAt = now.plus(delay);
              retrying.add(job);
              retryIn = delay;
              s.scheduler().schedule(delay, () -> requeue(job));
            }
          }
        }
      }
    } finally {
      lock.unlock();
    }
    String result;
    if (dead != null) {
      result = dead == DeadLetterReason.SHUTDOWN ? "abandoned" : "dead_lettered";
    } else {
      result = retryIn != null ? "retry" : "delivered";
    }
    // the job may already be re-queued: use what was read under the lock
    s.outcomes().attempted(t, job, attempt, o, result, at, latency);
    if (retryIn != null) {
      s.outcomes().retryScheduled(t, job, attempt, o, retryIn);
    } else if (dead != null) {
      finishDead(t, job, dead, false);
    } else {
      s.outcomes().delivered(t, job);
      finished();
    }
    pump();
  }

  private void requeue(Job job) {
    lock.lock();
    try {
      if (!retrying.remove(job)) {
        return; // retired or halted meanwhile: already dead-lettered
      }
      job.state = JobState.QUEUED;
      ready.get(job.priority.ordinal()).addLast(job);
      nextExpiry = earlier(nextExpiry, expiry(job));
    } finally {
      lock.unlock();
    }
    pump();
  }

  private void finishDead(Target t, Job job, DeadLetterReason reason, boolean quietly) {
    Job.Handover h = job.handover;
    if (h != null) {
      // the fallback failed too: the original delivery is parked, as its own target left it
      s.outcomes().fallbackFailed(t, job, reason);
      DeadLetterReason parked = reason == DeadLetterReason.SHUTDOWN ? reason : h.reason();
      s.outcomes().deadLettered(h.from(), h.original(), parked, quietly);
    } else if (!s.fallbacks().handOver(t, job, reason)) {
      s.outcomes().deadLettered(t, job, reason, quietly);
    }
    finished();
  }

  private void finished() {
    if (owned.decrementAndGet() == 0 && isRetired()) {
      announceDrained();
    }
    s.finished().run();
  }

  private void announceDrained() {
    if (drained.compareAndSet(false, true)) {
      s.drained().accept(this);
    }
  }

  private boolean isRetired() {
    lock.lock();
    try {
      return retired;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Retires the lane: its queued and retrying deliveries are dead-lettered with {@code reason};
   * requests in flight finish, and a failure among them is dead-lettered too.
   *
   * @return how many deliveries were dead-lettered now
   */
  int retire(DeadLetterReason reason) {
    List<Job> waiting;
    lock.lock();
    try {
      retired = true;
      retiredFor = reason;
      if (reason == DeadLetterReason.SHUTDOWN) {
        halted = true;
      }
      if (wakeup != null) {
        wakeup.cancel();
        wakeup = null;
      }
      waiting = new ArrayList<>(retrying);
      retrying.clear();
      for (ArrayDeque<Job> q : ready) {
        waiting.addAll(q);
        q.clear();
      }
    } finally {
      lock.unlock();
    }
    Target t = target;
    if (reason == DeadLetterReason.SHUTDOWN || waiting.isEmpty()) {
      waiting.forEach(j -> finishDead(t, j, reason, true));
      if (owned.get() == 0) {
        announceDrained();
      }
    } else {
      // off the caller's thread: it holds the engine's intake lock, and each letter is a store
      // write; the lane counts as draining until the last one is parked
      s.workers()
          .execute(
              () -> {
                waiting.forEach(j -> finishDead(t, j, reason, true));
                if (owned.get() == 0) {
                  announceDrained();
                }
              });
    }
    return waiting.size();
  }

  /** Counts by state, for logs and the jobs API. */
  record Counts(int queued, int retrying, int inFlight) {
    int total() {
      return queued + retrying + inFlight;
    }

    /** Those in the state; all for null. */
    int of(JobState state) {
      return state == null
          ? total()
          : switch (state) {
            case QUEUED -> queued;
            case RETRYING -> retrying;
            case IN_FLIGHT -> inFlight;
          };
    }
  }

  Counts counts() {
    lock.lock();
    try {
      int queued = 0;
      for (ArrayDeque<Job> q : ready) {
        queued += q.size();
      }
      return new Counts(queued, retrying.size(), inFlight.size());
    } finally {
      lock.unlock();
    }
  }

  /** Deliveries held; zero once every accepted one is delivered or dead-lettered. */
  int owned() {
    return owned.get();
  }

  /** Up to {@code limit} jobs in the state (null for all), in sending order. */
  List<JobView> jobs(JobState state, int limit) {
    List<JobView> out = new ArrayList<>();
    lock.lock();
    try {
      if (state == null || state == JobState.IN_FLIGHT) {
        addViews(inFlight, limit, out);
      }
      if (state == null || state == JobState.QUEUED) {
        for (ArrayDeque<Job> q : ready) {
          addViews(q, limit, out);
        }
      }
      if (state == null || state == JobState.RETRYING) {
        addViews(retrying, limit, out);
      }
    } finally {
      lock.unlock();
    }
    return out;
  }

  private static void addViews(Iterable<Job> jobs, int limit, List<JobView> out) {
    for (Job j : jobs) {
      if (out.size() >= limit) {
        return;
      }
      out.add(j.view());
    }
  }

  DeliveryMetrics.LaneStats stats(Instant now) {
    lock.lock();
    try {
      int queued = retrying.size();
      Instant oldest = null;
      for (Job j : retrying) {
        oldest = older(oldest, j.startedAt);
      }
      for (ArrayDeque<Job> q : ready) {
        queued += q.size();
        for (Job j : q) {
          oldest = older(oldest, j.startedAt);
        }
      }
      double age = oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toNanos() / 1e9);
      return new DeliveryMetrics.LaneStats(name, queued, age, circuitState(), inFlight.size());
    } finally {
      lock.unlock();
    }
  }

  private static Instant older(Instant a, Instant b) {
    return a == null ? b : earlier(a, b);
  }

  /** 0 closed, 1 half-open, 2 open (forced or metrics-only states count as their effect). */
  int circuitState() {
    return switch (breaker.getState()) {
      case HALF_OPEN -> 1;
      case OPEN, FORCED_OPEN -> 2;
      default -> 0;
    };
  }

  /** The breaker's failure signal; no stack trace, it is never thrown. */
  static final class TargetFailure extends RuntimeException {
    TargetFailure(FailureReason reason) {
      super(reason.label(), null, false, false);
    }
  }
}
