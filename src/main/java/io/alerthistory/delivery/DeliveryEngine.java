package io.alerthistory.delivery;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.alerthistory.alert.Alert;
import io.alerthistory.alert.Notification;
import io.alerthistory.format.Formatters;
import io.alerthistory.stats.DeliveryObserver;
import io.alerthistory.stats.LaneState;
import io.alerthistory.stats.LaneStateProvider;
import io.alerthistory.target.Target;
import io.alerthistory.target.TargetRegistry;
import io.alerthistory.target.TargetSnapshot;
import io.alerthistory.time.Scheduler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery engine (DESIGN §5, §6): one {@link DeliveryLane} per enabled target, created and
 * retired as the target registry changes; intake with dedup and all-or-nothing back-pressure; a
 * dead-letter queue with replay; a bounded history of attempts.
 *
 * <p>Intake, lane changes and replays are serialised by one short lock that never waits on I/O, so
 * a notification is either queued to every lane it concerns or to none.
 */
public final class DeliveryEngine implements Dispatcher, LaneStateProvider {
  private static final Logger log = LoggerFactory.getLogger(DeliveryEngine.class);
  private static final Duration RETRY_AFTER_WHEN_FULL = Duration.ofSeconds(5);

  /** Longest a webhook waits for its deliveries to become durable before it is refused. */
  private static final Duration JOURNAL_TIMEOUT = Duration.ofSeconds(10);

  /** Why a target may give a delivery up to its fallback; not when it or the service goes away. */
  private static final Set<DeadLetterReason> FALLBACK_REASONS =
      Set.of(
          DeadLetterReason.PERMANENT_FAILURE,
          DeadLetterReason.ATTEMPTS_EXHAUSTED,
          DeadLetterReason.MAX_AGE);

  /** What a replay did, letter by letter. */
  public record ReplayResult(
      List<String> replayed,
      @JsonProperty("not_found") List<String> notFound,
      List<Failed> failed) {
    /** A letter kept in the queue because it could not be replayed now. */
    public record Failed(String id, String reason) {}
  }

  private final TargetRegistry registry;
  private final Formatters formatters;
  private final Clock clock;
  private final Scheduler scheduler;
  private final JournalDeadlines journalDeadlines;
  private final DeliverySettings settings;
  private final DeadLetterStore deadLetters;
  private final Journal journal;
  private final DeliveryHistory history;
  private final DeliveryMetrics metrics;
  private final LaneServices services;
  private final ExecutorService workers;
  private final Map<String, DeliveryLane> lanes = new ConcurrentHashMap<>();

  /** Retired lanes whose last requests are still in flight. */
  private final Set<DeliveryLane> draining = ConcurrentHashMap.newKeySet();

  private final ReentrantLock intake = new ReentrantLock();
  // guarded by intake
  private final DedupWindow dedup;
  private TargetSnapshot applied;
  // journaled deliveries of an earlier run, requeued once targets are loaded
  private List<Delivery> recovering;
  private volatile boolean closed;

  private final ReentrantLock idleLock = new ReentrantLock();
  private final Condition progressed = idleLock.newCondition();

  /**
   * @param http sends to every target but {@code log} ones
   * @param random jitter of the retry backoff
   * @param journal where accepted deliveries are made durable before dispatch returns
   * @param observer told of every attempt and outcome, for the stats and passive health checks
   */
  public DeliveryEngine(
      TargetRegistry registry,
      Formatters formatters,
      Sender http,
      LogSender logSender,
      PrometheusRegistry prometheus,
      Clock clock,
      Scheduler scheduler,
      RandomGenerator random,
      DeliverySettings settings,
      DeadLetterStore deadLetters,
      Journal journal,
      DeliveryObserver observer) {
    this.registry = registry;
    this.formatters = formatters;
    this.clock = clock;
    this.scheduler = scheduler;
    this.journalDeadlines = new JournalDeadlines(clock, scheduler, JOURNAL_TIMEOUT);
    this.settings = settings;
    this.deadLetters = deadLetters;
    this.journal = journal;
    this.history =
        new DeliveryHistory(settings.historyFingerprints(), settings.historyPerFingerprint());
    this.dedup = new DedupWindow(settings.dedupWindow(), settings.dedupMaxEntries());
    this.metrics = new DeliveryMetrics(prometheus, this::laneStats, deadLetters::size);
    this.workers =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("delivery-", 0).factory());
    this.services =
        new LaneServices(
            clock,
            scheduler,
            workers,
            settings,
            new Backoff(settings.backoffBase(), settings.backoffMax(), random),
            new AttemptRunner(formatters, http, logSender),
            new Outcomes(metrics, history, deadLetters, journal, clock, observer),
            this::progressed,
            this::laneDrained,
            this::handOver);
    registry.onChange(snapshot -> syncLanes());
    syncLanes();
  }

  @Override
  public Result dispatch(Notification notification) {
    List<Planned> plan;
    int queued = 0;
    CompletableFuture<Void> durable = null;
    // wasted when no target takes the notification; cheaper than encoding under the lock
    String encoded = journal.encode(notification);
    intake.lock();
    try {
      if (closed) {
        return new Overloaded(RETRY_AFTER_WHEN_FULL, "shutting down");
      }
      TargetSnapshot snapshot = applyCurrent();
      if (snapshot == null) {
        return new Overloaded(RETRY_AFTER_WHEN_FULL, "targets not loaded yet");
      }
      Instant now = clock.instant();
      dedup.expire(now);
      plan = plan(notification, snapshot, now);
      for (int i = 0; i < plan.size(); i++) {
        Planned p = plan.get(i);
        if (!p.lane.tryReserve(p.jobs.size())) {
          for (int j = 0; j < i; j++) {
            plan.get(j).lane.release(plan.get(j).jobs.size());
          }
          return new Overloaded(
              RETRY_AFTER_WHEN_FULL,
              "the queue of target \""
                  + p.lane.name()
                  + "\" is full ("
                  + settings.queueCapacity()
                  + " deliveries)");
        }
      }
      List<Delivery> accepted = new ArrayList<>();
      plan.forEach(p -> p.jobs.forEach(j -> accepted.add(j.delivery)));
      if (!accepted.isEmpty()) {
        durable = journal.accept(notification, encoded, accepted);
      }
      for (Planned p : plan) {
        p.seen.forEach(k -> dedup.record(k, now));
        if (p.duplicates > 0) {
          metrics.deduplicated(p.lane.name(), p.duplicates);
        }
        queued += p.jobs.size();
      }
    } finally {
      intake.unlock();
    }
    if (durable != null) {
      String failure = awaitDurable(durable, queued);
      if (failure != null) {
        refuse(plan);
        return new Overloaded(RETRY_AFTER_WHEN_FULL, failure);
      }
    }
    // queued only once durable: a delivery is never sent for a notification answered 503, and
    // its finish never overtakes its accept in the journal
    for (Planned p : plan) {
      p.jobs.forEach(p.lane::enqueueReserved);
      if (!p.jobs.isEmpty()) {
        p.lane.pump();
      }
    }
    return new Queued(queued);
  }

  /**
   * Sends a delivery its target gave up on (refused, out of attempts or too old) once to the
   * target's {@code fallback}, when that target exists, is enabled and has room. It keeps its id,
   * so its journal row stays until one of the two outcomes; a crash meanwhile sends it to the
   * original target again.
   */
  private boolean handOver(Target from, Job job, DeadLetterReason reason) {
    if (from.fallback() == null || closed || !FALLBACK_REASONS.contains(reason)) {
      return false;
    }
    DeliveryLane lane = lanes.get(from.fallback());
    if (lane == null || !lane.tryReserve(1)) {
      return false;
    }
    Delivery d = job.delivery;
    Job handed =
        new Job(
            new Delivery(d.id(), lane.name(), d.notification(), d.alerts(), d.receivedAt()),
            clock.instant(),
            new Job.Handover(from, job, reason));
    services.outcomes().handedOver(from, lane.name(), job, reason);
    lane.enqueueReserved(handed);
    lane.pump();
    return true;
  }

  /** Waits for the journal write; returns why it failed, or null once it is durable. */
  private String awaitDurable(CompletableFuture<Void> durable, int deliveries) {
    journalDeadlines.watch(durable);
    try {
      durable.get();
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (ExecutionException e) {
      log.atError()
          .addKeyValue("deliveries", deliveries)
          .addKeyValue("error", String.valueOf(e.getCause() == null ? e : e.getCause()))
          .log("journal write failed, notification refused");
      return "the store is unavailable";
    }
  }

  /**
   * Undoes the intake of a notification whose journal write failed: the sender retries it, so its
   * alerts must not count as seen, and nothing of it is sent.
   */
  private void refuse(List<Planned> plan) {
    intake.lock();
    try {
      for (Planned p : plan) {
        p.seen.forEach(dedup::forget);
        p.lane.release(p.jobs.size());
        // a write that timed out may still commit; this removes it again once it does
        p.jobs.forEach(j -> journal.finish(j.delivery.id()));
      }
    } finally {
      intake.unlock();
    }
  }

  /**
   * Requeues journaled deliveries of an earlier run, or taken over from a replica that died, once
   * targets are loaded. Those whose target no longer exists or is disabled are dead-lettered as
   * {@code target_removed}.
   */
  public void recover(List<Delivery> deliveries) {
    if (deliveries.isEmpty()) {
      return;
    }
    intake.lock();
    try {
      List<Delivery> all = new ArrayList<>(recovering == null ? List.of() : recovering);
      all.addAll(deliveries);
      recovering = all;
    } finally {
      intake.unlock();
    }
    syncLanes();
  }

  /** Call under intake once lanes match a loaded snapshot; returns the lanes to pump. */
  private List<DeliveryLane> requeueRecovered() {
    List<Delivery> all = recovering;
    recovering = null;
    Map<DeliveryLane, Integer> touched = new java.util.HashMap<>();
    int orphaned = 0;
    for (Delivery d : all) {
      DeliveryLane lane = lanes.get(d.target());
      if (lane == null) {
        services.outcomes().orphaned(d, DeadLetterReason.TARGET_REMOVED);
        orphaned++;
        continue;
      }
      // recovery bypasses the capacity: these were accepted already
      lane.reserveBeyondCapacity(1);
      lane.enqueueReserved(new Job(d, d.receivedAt()));
      touched.merge(lane, 1, Integer::sum);
    }
    log.atInfo()
        .addKeyValue("requeued", all.size() - orphaned)
        .addKeyValue("dead_lettered", orphaned)
        .addKeyValue("targets", touched.size())
        .log("journaled deliveries recovered");
    return List.copyOf(touched.keySet());
  }

  /** What one notification brings to one lane. */
  private record Planned(
      DeliveryLane lane, List<Job> jobs, List<DedupWindow.Key> seen, int duplicates) {}

  private List<Planned> plan(Notification n, TargetSnapshot snapshot, Instant now) {
    List<Planned> plan = new ArrayList<>();
    Instant[] startsAt = null;
    for (Target t : snapshot.enabled()) {
      DeliveryLane lane = lanes.get(t.name());
      List<Alert> fresh = new ArrayList<>();
      List<DedupWindow.Key> keys = new ArrayList<>();
      int duplicates = 0;
      for (int i = 0; i < n.alerts().size(); i++) {
        Alert a = n.alerts().get(i);
        if (!t.accepts(a.labels())) {
          continue;
        }
        if (dedup.enabled()) {
          if (startsAt == null) {
            startsAt = n.alerts().stream().map(Alert::startsAtInstant).toArray(Instant[]::new);
          }
          DedupWindow.Key key =
              new DedupWindow.Key(t.name(), a.fingerprint(), a.status(), startsAt[i]);
          if (dedup.seen(key, now)) {
            duplicates++;
            continue;
          }
          keys.add(key);
        }
        fresh.add(a);
      }
      if (fresh.isEmpty() && duplicates == 0) {
        continue;
      }
      List<Job> jobs = new ArrayList<>();
      if (fresh.isEmpty()) {
        // every alert was a duplicate: nothing to send
      } else if (formatters.get(t.format()).perAlert()) {
        for (Alert a : fresh) {
          jobs.add(new Job(new Delivery(Ids.next("dlv"), t.name(), n, List.of(a), now), now));
        }
      } else {
        jobs.add(new Job(new Delivery(Ids.next("dlv"), t.name(), n, fresh, now), now));
      }
      plan.add(new Planned(lane, jobs, keys, duplicates));
    }
    return plan;
  }

  private void syncLanes() {
    List<DeliveryLane> recovered = List.of();
    intake.lock();
    try {
      if (applyCurrent() != null && recovering != null) {
        recovered = requeueRecovered();
      }
    } finally {
      intake.unlock();
    }
    recovered.forEach(DeliveryLane::pump);
  }

  /** Brings the lanes in line with the registry's current snapshot; call under intake. */
  private TargetSnapshot applyCurrent() {
    TargetSnapshot snapshot = registry.current();
    if (snapshot == null || snapshot == applied || closed) {
      return snapshot;
    }
    Set<String> keep = new HashSet<>();
    for (Target t : snapshot.enabled()) {
      keep.add(t.name());
      DeliveryLane lane = lanes.get(t.name());
      if (lane == null) {
        lanes.put(t.name(), new DeliveryLane(t, services));
        metrics.laneCreated(t.name(), t.type().wireName());
      } else if (!lane.target().equals(t)) {
        lane.update(t);
      }
    }
    for (DeliveryLane lane : List.copyOf(lanes.values())) {
      if (!keep.contains(lane.name())) {
        lanes.remove(lane.name());
        draining.add(lane);
        DeliveryLane.Counts inFlight = lane.counts();
        int dropped = lane.retire(DeadLetterReason.TARGET_REMOVED);
        log.atInfo()
            .addKeyValue("target", lane.name())
            .addKeyValue("dead_lettered", dropped)
            .addKeyValue("in_flight", inFlight.inFlight())
            .log("target removed or disabled, its lane is retired");
      }
    }
    applied = snapshot;
    return snapshot;
  }

  private void laneDrained(DeliveryLane lane) {
    draining.remove(lane);
    // a target re-added under the same name has a new lane that keeps the series
    if (lanes.get(lane.name()) == null) {
      metrics.laneRetired(lane.name());
    }
  }

  @Override
  public LaneState state(String target) {
    DeliveryLane lane = lanes.get(target);
    if (lane == null) {
      return LaneState.IDLE;
    }
    DeliveryMetrics.LaneStats s = lane.stats(clock.instant());
    return new LaneState(
        s.queued(),
        settings.queueCapacity(),
        Math.round(s.oldestAgeSeconds() * 1000),
        LaneState.Circuit.values()[s.circuitState()]);
  }

  private List<DeliveryMetrics.LaneStats> laneStats() {
    Instant now = clock.instant();
    return lanes.values().stream().map(l -> l.stats(now)).toList();
  }

  public DeadLetterStore.Page deadLetters(DeadLetterStore.Query query) {
    return deadLetters.list(query);
  }

  public Optional<DeadLetter> deadLetter(String id) {
    return deadLetters.get(id);
  }

  /** Re-queues the given dead letters to their targets' current lanes with a fresh count. */
  public ReplayResult replay(List<String> ids) {
    List<String> replayed = new ArrayList<>();
    List<String> notFound = new ArrayList<>();
    List<ReplayResult.Failed> failed = new ArrayList<>();
    for (String id : ids) {
      Optional<DeadLetter> letter = deadLetters.get(id);
      if (letter.isEmpty()) {
        notFound.add(id);
        continue;
      }
      switch (replayOne(letter.get())) {
        case Requeued r -> replayed.add(id);
        case Gone g -> notFound.add(id);
        case Refused r -> failed.add(new ReplayResult.Failed(id, r.reason()));
      }
    }
    return new ReplayResult(replayed, notFound, failed);
  }

  /** Replays up to {@code limit} of the oldest letters matching the filter. */
  public ReplayResult replayMatching(DeadLetterStore.Filter filter, int limit) {
    return replay(deadLetters.oldest(filter, limit).stream().map(DeadLetter::id).toList());
  }

  private sealed interface OneReplay permits Requeued, Gone, Refused {}

  private record Requeued() implements OneReplay {}

  /** Replayed or purged by someone else meanwhile. */
  private record Gone() implements OneReplay {}

  private record Refused(String reason) implements OneReplay {}

  private OneReplay replayOne(DeadLetter letter) {
    DeliveryLane lane;
    intake.lock();
    try {
      if (closed) {
        return new Refused("shutting down");
      }
      applyCurrent();
      lane = lanes.get(letter.target());
      if (lane == null) {
        return new Refused("target \"" + letter.target() + "\" does not exist or is disabled");
      }
      if (!lane.tryReserve(1)) {
        return new Refused("the queue of target \"" + letter.target() + "\" is full");
      }
      // journaled before the letter goes, so a crash in between keeps one of them
      journal.accept(letter.delivery().notification(), null, List.of(letter.delivery()));
      boolean removed;
      try {
        removed = deadLetters.remove(letter.id());
      } catch (RuntimeException e) {
        journal.finish(letter.delivery().id());
        lane.release(1);
        throw e;
      }
      if (!removed) {
        journal.finish(letter.delivery().id());
        lane.release(1);
        return new Gone();
      }
      lane.enqueueReserved(new Job(letter.delivery(), clock.instant()));
      metrics.replayed(letter.target());
    } finally {
      intake.unlock();
    }
    log.atInfo()
        .addKeyValue("dead_letter_id", letter.id())
        .addKeyValue("delivery_id", letter.delivery().id())
        .addKeyValue("target", letter.target())
        .log("dead letter replayed");
    lane.pump();
    return new Requeued();
  }

  /** Removes dead letters older than {@code age}; returns how many. */
  public int purgeOlderThan(Duration age) {
    List<DeadLetter> removed = deadLetters.removeOlderThan(clock.instant().minus(age));
    log.atInfo()
        .addKeyValue("older_than_s", age.toSeconds())
        .addKeyValue("purged", removed.size())
        .log("dead letters purged");
    return removed.size();
  }

  /**
   * The attempts made for an alert, oldest first: from the journal when it keeps them (so every
   * replica sees all of them), else from memory.
   */
  public List<AttemptRecord> history(String fingerprint) {
    return journal.durable()
        ? journal.history(
            fingerprint,
            clock.instant().minus(settings.historyRetention()),
            settings.historyPerFingerprint())
        : history.of(fingerprint);
  }

  /**
   * The deliveries lanes hold now.
   *
   * @param total how many match, of which {@code jobs} shows at most the limit
   */
  public record Jobs(int total, List<JobView> jobs) {}

  /**
   * @param target only this target's, or null for all
   * @param state only in this state, or null for all
   */
  public Jobs jobs(String target, JobState state, int limit) {
    List<DeliveryLane> chosen =
        lanes.values().stream()
            .filter(l -> target == null || l.name().equals(target))
            .sorted(Comparator.comparing(DeliveryLane::name))
            .toList();
    int total = 0;
    List<JobView> out = new ArrayList<>();
    for (DeliveryLane lane : chosen) {
      DeliveryLane.Counts c = lane.counts();
      total += c.of(state);
      if (out.size() < limit) {
        out.addAll(lane.jobs(state, limit - out.size()));
      }
    }
    return new Jobs(total, out);
  }

  private void progressed() {
    if (!closed) {
      return; // only shutdown waits for progress
    }
    idleLock.lock();
    try {
      progressed.signalAll();
    } finally {
      idleLock.unlock();
    }
  }

  private List<DeliveryLane> allLanes() {
    List<DeliveryLane> all = new ArrayList<>(lanes.values());
    all.addAll(draining);
    return all;
  }

  private int held() {
    return allLanes().stream().mapToInt(DeliveryLane::owned).sum();
  }

  /**
   * Stops intake and keeps delivering for up to {@code timeout}. What is left then, queued,
   * retrying or in flight, is abandoned: in-flight requests are interrupted, and everything is
   * dead-lettered (in memory) with reason {@code shutdown}, counted and logged.
   */
  @Override
  public void shutdown(Duration timeout) {
    intake.lock();
    try {
      closed = true;
    } finally {
      intake.unlock();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    idleLock.lock();
    try {
      long left = timeout.toNanos();
      while (held() > 0 && left > 0) {
        progressed.awaitNanos(left);
        left = deadline - System.nanoTime();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      idleLock.unlock();
    }
    if (held() > 0) {
      abandonRemaining();
    } else {
      workers.shutdown();
    }
    scheduler.shutdown(Duration.ofSeconds(1));
    log.atInfo().addKeyValue("dead_letters", deadLetters.size()).log("delivery engine stopped");
  }

  private void abandonRemaining() {
    int queued = 0;
    int retrying = 0;
    int inFlight = 0;
    List<DeliveryLane> all = allLanes();
    for (DeliveryLane lane : all) {
      DeliveryLane.Counts c = lane.counts();
      queued += c.queued();
      retrying += c.retrying();
      inFlight += c.inFlight();
    }
    log.atWarn()
        .addKeyValue("queued", queued)
        .addKeyValue("retrying", retrying)
        .addKeyValue("in_flight", inFlight)
        .log(
            "shutdown timeout reached, abandoning deliveries in flight and dead-lettering the rest");
    for (DeliveryLane lane : all) {
      lane.retire(DeadLetterReason.SHUTDOWN);
    }
    workers.shutdownNow();
    try {
      if (!workers.awaitTermination(1, TimeUnit.SECONDS)) {
        log.atWarn()
            .addKeyValue("in_flight", held())
            .log("requests still in flight after interruption; they are lost with the process");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Deliveries accepted and not yet delivered or dead-lettered, over all lanes. */
  public int pending() {
    return held();
  }
}
