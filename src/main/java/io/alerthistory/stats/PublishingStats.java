package io.alerthistory.stats;

import static io.alerthistory.stats.MinuteRing.A_ATTEMPTS;
import static io.alerthistory.stats.MinuteRing.A_DEAD;
import static io.alerthistory.stats.MinuteRing.A_FAILURES;
import static io.alerthistory.stats.MinuteRing.A_QUEUE_MAX;
import static io.alerthistory.stats.MinuteRing.A_RATE_LIMITED;
import static io.alerthistory.stats.MinuteRing.A_SIZE;
import static io.alerthistory.stats.MinuteRing.A_SUCCESSES;

import io.alerthistory.attempt.FailureReason;
import io.alerthistory.health.HealthMonitor;
import io.alerthistory.health.HealthStatus;
import io.alerthistory.refresh.RefreshStatus;
import io.alerthistory.stats.Reports.Hour;
import io.alerthistory.stats.Reports.Latency;
import io.alerthistory.stats.Reports.TargetRow;
import io.alerthistory.stats.Reports.Trend;
import io.alerthistory.target.Target;
import io.alerthistory.target.TargetRegistry;
import io.alerthistory.target.TargetSnapshot;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The stats, health score and trends of DESIGN §9, computed from the minute buckets of {@link
 * DeliveryStats}, the health monitor, the engine's live lane state and the refresh status. Nothing
 * here scans delivery history.
 */
public final class PublishingStats {
  private static final int HOURS = 24;

  private final DeliveryStats stats;
  private final TargetRegistry registry;
  private final HealthMonitor health;
  private final LaneStateProvider lanes;
  private final Supplier<RefreshStatus> refresh;
  private final StatsSettings settings;
  private final InstantSource clock;
  private final DeliveryObserver observer;

  public PublishingStats(
      DeliveryStats stats,
      TargetRegistry registry,
      HealthMonitor health,
      LaneStateProvider lanes,
      Supplier<RefreshStatus> refresh,
      StatsSettings settings,
      InstantSource clock) {
    this.stats = stats;
    this.registry = registry;
    this.health = health;
    this.lanes = lanes;
    this.refresh = refresh;
    this.settings = settings;
    this.clock = clock;
    this.observer = observerFor(stats, health);
    registry.onChange(s -> stats.retain(s.targets().keySet()));
  }

  /**
   * What the delivery engine reports to: the stats buckets and the health monitor's passive checks.
   * Static because the engine is built before this, which reads the engine's lane state.
   */
  public static DeliveryObserver observerFor(DeliveryStats stats, HealthMonitor health) {
    return DeliveryObserver.of(stats, new HealthFeed(health));
  }

  /** The same as {@link #observerFor} for this instance's buckets and monitor. */
  public DeliveryObserver observer() {
    return observer;
  }

  private List<Target> targets() {
    TargetSnapshot s = registry.current();
    return s == null ? List.of() : List.copyOf(s.targets().values());
  }

  private boolean refreshStale() {
    RefreshStatus r = refresh.get();
    if (r == null) {
      return false;
    }
    long limit = 2 * settings.refreshInterval().toSeconds();
    return r.consecutiveFailures() >= 3 || r.snapshotAgeSeconds() > limit;
  }

  private boolean matches(Target t, HealthStatus h, StatsFilter f) {
    return (f.type() == null || f.type() == t.type()) && (f.status() == null || f.status() == h);
  }

  public Reports.Stats stats(StatsFilter filter) {
    boolean stale = refreshStale();
    List<TargetRow> rows = new ArrayList<>();
    long[] m5 = new long[A_SIZE];
    long[] h1 = new long[A_SIZE];
    long[] d1 = new long[A_SIZE];
    long queued = 0;
    double scoreSum = 0;
    int enabled = 0;
    for (Target t : targets()) {
      HealthStatus h = health.status(t.name());
      if (!matches(t, h, filter)) {
        continue;
      }
      MinuteRing.Windows w = stats.windows(t.name());
      long[] day = w.last24h();
      TargetRow row = row(t, h, w, day, lanes.state(t.name()), stale);
      rows.add(row);
      if (t.enabled()) {
        enabled++;
        MinuteRing.merge(m5, w.last5());
        MinuteRing.merge(h1, w.lastHour());
        MinuteRing.merge(d1, day);
        queued += row.queueDepth();
        scoreSum += row.score();
      }
    }
    double score = enabled == 0 ? HealthScore.withPenalty(100, stale) : scoreSum / enabled;
    Reports.Totals totals =
        new Reports.Totals(
            enabled,
            h1[A_ATTEMPTS],
            d1[A_ATTEMPTS],
            d1[A_SUCCESSES],
            Aggregates.failures(d1),
            Aggregates.round4(Aggregates.successRate(m5)),
            Aggregates.round4(Aggregates.successRate(h1)),
            Aggregates.round4(Aggregates.successRate(d1)),
            byReason(d1),
            d1[A_DEAD],
            d1[A_RATE_LIMITED],
            queued,
            HealthScore.round(score));
    return new Reports.Stats(totals, rows);
  }

  private TargetRow row(
      Target t, HealthStatus h, MinuteRing.Windows w, long[] day, LaneState lane, boolean stale) {
    long[] hour = w.lastHour();
    Latency l1 = latency(hour);
    double raw =
        HealthScore.target(
            Aggregates.successRate(hour),
            HealthScore.availability(h, lane.circuit()),
            l1.p95(),
            settings.latencySlo().toNanos() / 1e9,
            lane.backlogFill());
    return new TargetRow(
        t.name(),
        t.type().wireName(),
        t.enabled(),
        h,
        HealthScore.withPenalty(raw, stale),
        Aggregates.round4(Aggregates.successRate(w.last5())),
        Aggregates.round4(Aggregates.successRate(hour)),
        Aggregates.round4(Aggregates.successRate(day)),
        l1,
        latency(day),
        hour[A_ATTEMPTS],
        day[A_ATTEMPTS],
        day[A_SUCCESSES],
        Aggregates.failures(day),
        byReason(day),
        day[A_RATE_LIMITED],
        day[A_DEAD],
        lane.queueDepth(),
        hour[A_QUEUE_MAX],
        lane.oldestQueuedAgeMillis() / 1000.0,
        lane.circuit().wireName());
  }

  private static Latency latency(long[] a) {
    return new Latency(
        Aggregates.round4(Aggregates.quantile(a, 0.50)),
        Aggregates.round4(Aggregates.quantile(a, 0.95)),
        Aggregates.round4(Aggregates.quantile(a, 0.99)));
  }

  private static Map<String, Long> byReason(long[] a) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (FailureReason r : FailureReason.values()) {
      out.put(r.label(), a[A_FAILURES + r.ordinal()]);
    }
    return out;
  }

  /** One target's row, trend and hourly history; empty when the registry does not hold it. */
  public Optional<Reports.TargetDetail> target(String name) {
    TargetSnapshot s = registry.current();
    Target t = s == null ? null : s.get(name);
    if (t == null) {
      return Optional.empty();
    }
    HealthStatus h = health.status(name);
    MinuteRing.Windows w = stats.windows(name);
    TargetRow row = row(t, h, w, w.last24h(), lanes.state(name), refreshStale());
    List<Hour> hourly = new ArrayList<>(HOURS);
    for (int k = 0; k < HOURS; k++) {
      long[] a = w.hours()[k];
      hourly.add(
          new Hour(
              k,
              a[A_ATTEMPTS],
              a[A_SUCCESSES],
              Aggregates.failures(a),
              a[A_DEAD],
              a[A_RATE_LIMITED],
              Aggregates.round4(Aggregates.quantile(a, 0.95))));
    }
    return Optional.of(new Reports.TargetDetail(clock.instant(), row, trend(t, w), hourly));
  }

  public Reports.Trends trends(StatsFilter filter) {
    List<Trend> out = new ArrayList<>();
    for (Target t : targets()) {
      if (matches(t, health.status(t.name()), filter)) {
        out.add(trend(t, stats.windows(t.name())));
      }
    }
    return new Reports.Trends(out);
  }

  private static Trend trend(Target t, MinuteRing.Windows w) {
    long[] hour = w.lastHour();
    long[] base = TrendRules.baseline(w.hours());
    return new Trend(
        t.name(),
        t.type().wireName(),
        TrendRules.successRate(hour, base),
        TrendRules.p95Latency(hour, base),
        TrendRules.volume(hour, base, HOURS - 1),
        TrendRules.errorSpike(w.hours()));
  }

  /**
   * Overall status and score: the mean score of the enabled targets (100 with none) less the
   * refresh penalty; unhealthy under 50 or when more than half of the enabled targets are
   * unhealthy, degraded under 80 or when a target is unhealthy or the target snapshot is stale,
   * else healthy.
   */
  public Reports.Health health() {
    Reports.Stats s = stats(StatsFilter.ALL);
    RefreshStatus r = refresh.get();
    boolean stale = refreshStale();
    Map<HealthStatus, Integer> counts = new EnumMap<>(HealthStatus.class);
    for (HealthStatus h : HealthStatus.values()) {
      counts.put(h, 0);
    }
    List<Reports.TargetScore> scores = new ArrayList<>();
    for (TargetRow row : s.targets()) {
      if (row.enabled()) {
        counts.merge(row.health(), 1, Integer::sum);
        scores.add(new Reports.TargetScore(row.name(), row.score(), row.health()));
      }
    }
    scores.sort(Comparator.comparingDouble(Reports.TargetScore::score));
    double score = s.totals().score();
    HealthStatus status;
    if (score < 50) {
      status = HealthStatus.UNHEALTHY;
    } else if (2 * counts.get(HealthStatus.UNHEALTHY) > s.totals().targets()) {
      status = HealthStatus.UNHEALTHY;
    } else if (score < 80 || stale || counts.get(HealthStatus.UNHEALTHY) > 0) {
      status = HealthStatus.DEGRADED;
    } else {
      status = HealthStatus.HEALTHY;
    }
    Map<String, Integer> byHealth = new LinkedHashMap<>();
    counts.forEach((h, n) -> byHealth.put(h.wireName(), n));
    return new Reports.Health(
        status,
        score,
        s.totals().targets(),
        byHealth,
        stale,
        r == null ? -1 : r.snapshotAgeSeconds(),
        r == null ? 0 : r.consecutiveFailures(),
        scores.subList(0, Math.min(5, scores.size())));
  }
}
