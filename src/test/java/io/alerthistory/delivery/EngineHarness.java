package io.alerthistory.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.alerthistory.format.Formatters;
import io.alerthistory.json.Json;
import io.alerthistory.stats.DeliveryObserver;
import io.alerthistory.target.SourceEntry;
import io.alerthistory.target.TargetParser;
import io.alerthistory.target.TargetRegistry;
import io.alerthistory.target.TargetSnapshot;
import io.alerthistory.testing.ManualScheduler;
import io.alerthistory.testing.Metrics;
import io.alerthistory.testing.MutableClock;
import io.alerthistory.time.ExecutorScheduler;
import io.alerthistory.time.Scheduler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A delivery engine over a real HTTP sender, with time and timers under the test's control. */
final class EngineHarness implements AutoCloseable {
  final MutableClock clock;
  final ManualScheduler scheduler;
  final TargetRegistry registry = new TargetRegistry();
  final PrometheusRegistry prometheus = new PrometheusRegistry();
  final Metrics metrics = new Metrics(prometheus);
  final InMemoryDeadLetterStore deadLetters;
  final DeliveryEngine engine;
  private final Formatters formatters;
  private final Journal journal;

  /** With a manual clock and scheduler. */
  EngineHarness(DeliverySettings settings, String... targets) {
    this(settings, Formatters.standard(), targets);
  }

  EngineHarness(DeliverySettings settings, Formatters formatters, String... targets) {
    this(settings, formatters, Journal.NONE, targets);
  }

  EngineHarness(DeliverySettings settings, Journal journal, String... targets) {
    this(settings, Formatters.standard(), journal, targets);
  }

  private EngineHarness(
      DeliverySettings settings, Formatters formatters, Journal journal, String... targets) {
    this.journal = journal;
    this.clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    this.scheduler = new ManualScheduler(clock);
    this.formatters = formatters;
    this.deadLetters = new InMemoryDeadLetterStore(settings.deadLetterCapacity());
    targets(targets);
    this.engine = engine(clock, scheduler, settings);
  }

  /** With the real clock and timer, for tests that measure latency. */
  static DeliveryEngine realTime(
      TargetRegistry registry, PrometheusRegistry prometheus, DeliverySettings settings) {
    return new DeliveryEngine(
        registry,
        Formatters.standard(),
        new HttpSender(Clock.systemUTC()),
        new LogSender(),
        prometheus,
        Clock.systemUTC(),
        new ExecutorScheduler("test-timer"),
        new Random(1),
        settings,
        new InMemoryDeadLetterStore(settings.deadLetterCapacity()),
        io.alerthistory.delivery.Journal.NONE,
        DeliveryObserver.NONE);
  }

  private DeliveryEngine engine(Clock c, Scheduler s, DeliverySettings settings) {
    return new DeliveryEngine(
        registry,
        formatters,
        new HttpSender(c),
        new LogSender(),
        prometheus,
        c,
        s,
        new Random(7),
        settings,
        deadLetters,
        journal,
        DeliveryObserver.NONE);
  }

  /** Settings for tests: dedup off unless a test turns it on. */
  static DeliverySettings.Builder settings() {
    return DeliverySettings.defaults().toBuilder().dedupWindow(Duration.ZERO);
  }

  /** Replaces every target; each document is JSON with a {@code name}. */
  void targets(String... documents) {
    registry.replace(snapshot(formatters, clock.instant(), documents));
  }

  static TargetSnapshot snapshot(Formatters formatters, Instant at, String... documents) {
    List<SourceEntry> entries = new ArrayList<>();
    for (String doc : documents) {
      try {
        JsonNode node = Json.MAPPER.readTree(doc);
        String name = node.get("name").asText();
        entries.add(new SourceEntry.Declared(name + ".json", "", name, node));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
    TargetSnapshot s = TargetSnapshot.build(entries, new TargetParser(formatters.available()), at);
    if (!s.invalid().isEmpty()) {
      throw new IllegalArgumentException("invalid test target: " + s.invalid());
    }
    return s;
  }

  static String webhook(String name, int port, String path) {
    return """
        {"name": "%s", "type": "webhook", "url": "http://127.0.0.1:%d%s"}
        """
        .formatted(name, port, path);
  }

  /** Deliveries of the target in the given state now. */
  int jobs(String target, JobState state) {
    return engine.jobs(target, state, 1).total();
  }

  double delivered(String target) {
    return metrics.value(
        "alert_history_publishing_deliveries", "target", target, "outcome", "delivered");
  }

  @Override
  public void close() {
    engine.shutdown(Duration.ofSeconds(2));
  }
}
