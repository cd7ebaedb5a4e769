package io.alerthistory.health;

import io.alerthistory.target.Target;
import io.alerthistory.target.TargetRegistry;
import io.alerthistory.target.TargetSnapshot;
import io.alerthistory.time.Scheduler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health of every enabled target (DESIGN §8) from active probes every interval and from the
 * outcomes of real deliveries. Status rules: a failure makes a target degraded, {@code
 * unhealthyAfter} failures in a row unhealthy, a success healthy again (degraded when slow); with
 * no probe or outcome for {@code staleAfter}, or before any, it is unknown. Targets leaving the
 * registry (or disabled) are dropped.
 */
public final class HealthMonitor {
  private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

  private final Prober prober;
  private final HealthSettings settings;
  private final InstantSource clock;
  private final Scheduler scheduler;
  private final HealthMetrics metrics;
  private final Map<String, AtomicReference<State>> states = new ConcurrentHashMap<>();
  private final Semaphore permits;
  private final ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor();
  private volatile boolean started;
  private volatile boolean stopped;

  /** Everything known about one target; replaced whole by CAS, never mutated. */
  private record State(
      Target target,
      HealthStatus status,
      Instant since,
      Instant lastCheck,
      Instant lastActivity,
      String lastError,
      int failures,
      Duration latency) {

    static State fresh(Target t, Instant now) {
      return new State(t, HealthStatus.UNKNOWN, now, null, null, null, 0, null);
    }
  }

  public HealthMonitor(
      TargetRegistry registry,
      Prober prober,
      HealthSettings settings,
      InstantSource clock,
      Scheduler scheduler,
      PrometheusRegistry prometheus) {
    this.prober = prober;
    this.settings = settings;
    this.clock = clock;
    this.scheduler = scheduler;
    this.permits = new Semaphore(settings.concurrency());
    this.metrics = new HealthMetrics(prometheus, this::all);
    registry.onChange(this::sync);
    TargetSnapshot s = registry.current();
    if (s != null) {
      sync(s);
    }
  }

  /** Runs the first probe round now and then one every interval. */
  public void start() {
    started = true;
    scheduler.schedule(Duration.ZERO, this::roundAndReschedule);
  }

  public boolean stop(Duration timeout) {
    stopped = true;
    probes.shutdownNow();
    return scheduler.shutdown(timeout);
  }

  private void roundAndReschedule() {
    if (stopped) {
      return;
    }
    try {
      runRound();
    } finally {
      if (!stopped) {
        scheduler.schedule(settings.interval(), this::roundAndReschedule);
      }
    }
  }

  /** Probes every tracked target, at most {@code concurrency} at once; returns when all ended. */
  public void runRound() {
    probeAll(states.values().stream().map(r -> r.get().target()).toList());
  }

  private void probeAll(List<Target> targets) {
    List<java.util.concurrent.Future<?>> running = new ArrayList<>();
    for (Target t : targets) {
      try {
        running.add(probes.submit(() -> probeLimited(t)));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        return;
      }
    }
    for (var f : running) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.util.concurrent.ExecutionException e) {
        log.atWarn().setCause(e.getCause()).log("health probe failed");
      }
    }
  }

  private void probeLimited(Target t) {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      check(t);
    } finally {
      permits.release();
    }
  }

  /** Probes the target now, whatever the schedule; empty when it is not tracked. */
  public Optional<TargetHealth> checkNow(String name) {
    AtomicReference<State> ref = states.get(name);
    if (ref == null) {
      return Optional.empty();
    }
    check(ref.get().target());
    return get(name);
  }

  private void check(Target t) {
    ProbeResult r = prober.probe(t);
    Instant now = clock.instant();
    boolean slow = r.reachable() && r.latency().compareTo(settings.slowThreshold()) >= 0;
    metrics.checked(t.name(), r.reachable() ? (slow ? "slow" : "success") : "failure");
    update(t.name(), now, true, r.reachable(), r.latency(), r.error());
  }

  /** Passive input: latency of a real attempt; judged when the attempt's outcome arrives. */
  public void observedAttempt(String name, long latencyNanos) {
    AtomicReference<State> ref = states.get(name);
    if (ref == null) {
      return;
    }
    Duration latency = Duration.ofNanos(latencyNanos);
    ref.updateAndGet(
        s ->
            new State(
                s.target(),
                s.status(),
                s.since(),
                s.lastCheck(),
                s.lastActivity(),
                s.lastError(),
                s.failures(),
                latency));
  }

  /** Passive input: a real delivery to the target succeeded. */
  public void observedSuccess(String name) {
    AtomicReference<State> ref = states.get(name);
    if (ref != null) {
      update(name, clock.instant(), false, true, ref.get().latency(), null);
    }
  }

  /** Passive input: a real attempt failed for a reason that says the target is not well. */
  public void observedFailure(String name, String error) {
    AtomicReference<State> ref = states.get(name);
    if (ref != null) {
      update(name, clock.instant(), false, false, ref.get().latency(), error);
    }
  }

  /** Passive input: the target answered, but the outcome says nothing about its health. */
  public void observedAnswer(String name) {
    AtomicReference<State> ref = states.get(name);
    if (ref == null) {
      return;
    }
    Instant now = clock.instant();
    ref.updateAndGet(
        s -> {
          HealthStatus before = effective(s, now);
          HealthStatus after =
              s.status() == HealthStatus.UNKNOWN ? HealthStatus.HEALTHY : s.status();
          return new State(
              s.target(),
              after,
              before == after ? s.since() : now,
              s.lastCheck(),
              now,
              s.lastError(),
              s.failures(),
              s.latency());
        });
  }

  private void update(
      String name, Instant now, boolean active, boolean ok, Duration latency, String error) {
    AtomicReference<State> ref = states.get(name);
    if (ref == null) {
      return;
    }
    State[] change = new State[2];
    ref.updateAndGet(
        s -> {
          int failures = ok ? 0 : s.failures() + 1;
          HealthStatus next;
          if (!ok) {
            next =
                failures >= settings.unhealthyAfter()
                    ? HealthStatus.UNHEALTHY
                    : HealthStatus.DEGRADED;
          } else if (latency != null && latency.compareTo(settings.slowThreshold()) >= 0) {
            next = HealthStatus.DEGRADED;
          } else {
            next = HealthStatus.HEALTHY;
          }
          HealthStatus before = effective(s, now);
          State out =
              new State(
                  s.target(),
                  next,
                  before == next ? s.since() : now,
                  active ? now : s.lastCheck(),
                  now,
                  ok ? s.lastError() : error,
                  failures,
                  latency);
          change[0] = s;
          change[1] = out;
          return out;
        });
    HealthStatus before = effective(change[0], now);
    if (before != change[1].status()) {
      log.atInfo()
          .addKeyValue("target", name)
          .addKeyValue("from", before.wireName())
          .addKeyValue("to", change[1].status().wireName())
          .addKeyValue("error", change[1].lastError())
          .log("target health changed");
    }
  }

  /** The status at {@code now}: unknown when stale. */
  private HealthStatus effective(State s, Instant now) {
    if (s.lastActivity() == null || isStale(s, now)) {
      return HealthStatus.UNKNOWN;
    }
    return s.status();
  }

  private boolean isStale(State s, Instant now) {
    return s.lastActivity() != null
        && Duration.between(s.lastActivity(), now).compareTo(settings.staleAfter()) > 0;
  }

  private TargetHealth view(State s, Instant now) {
    HealthStatus status = effective(s, now);
    Instant since = s.since();
    if (isStale(s, now) && s.status() != HealthStatus.UNKNOWN) {
      since = s.lastActivity().plus(settings.staleAfter());
    }
    return new TargetHealth(
        s.target().name(),
        s.target().type().wireName(),
        status,
        since,
        s.lastCheck(),
        s.lastActivity(),
        s.lastError(),
        s.failures(),
        s.latency() == null ? null : s.latency().toNanos() / 1e6);
  }

  public Optional<TargetHealth> get(String name) {
    AtomicReference<State> ref = states.get(name);
    return ref == null ? Optional.empty() : Optional.of(view(ref.get(), clock.instant()));
  }

  /** The status now; unknown for a target that is not tracked. */
  public HealthStatus status(String name) {
    AtomicReference<State> ref = states.get(name);
    return ref == null ? HealthStatus.UNKNOWN : effective(ref.get(), clock.instant());
  }

  /** Every tracked target, by name. */
  public List<TargetHealth> all() {
    Instant now = clock.instant();
    return states.values().stream()
        .map(r -> view(r.get(), now))
        .sorted(Comparator.comparing(TargetHealth::name))
        .toList();
  }

  private void sync(TargetSnapshot snapshot) {
    Instant now = clock.instant();
    Map<String, Target> enabled = new java.util.HashMap<>();
    for (Target t : snapshot.enabled()) {
      enabled.put(t.name(), t);
    }
    List<String> dropped = new ArrayList<>();
    states
        .keySet()
        .removeIf(
            name -> {
              boolean gone = !enabled.containsKey(name);
              if (gone) {
                dropped.add(name);
              }
              return gone;
            });
    dropped.forEach(metrics::drop);
    List<Target> added = new ArrayList<>();
    enabled.forEach(
        (name, t) -> {
          AtomicReference<State> ref = states.get(name);
          if (ref == null) {
            states.put(name, new AtomicReference<>(State.fresh(t, now)));
            added.add(t);
          } else if (!ref.get().target().equals(t)) {
            // Changed settings (URL, headers) start over: the old results describe another target.
            ref.set(State.fresh(t, now));
            added.add(t);
          }
        });
    // Before start() the first round covers every target.
    if (!added.isEmpty() && started && !stopped) {
      scheduler.schedule(
          Duration.ZERO,
          () -> probeAll(added.stream().filter(t -> states.containsKey(t.name())).toList()));
    }
  }
}
