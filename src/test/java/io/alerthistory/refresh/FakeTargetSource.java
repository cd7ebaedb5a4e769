package io.alerthistory.refresh;

import io.alerthistory.json.Json;
import io.alerthistory.target.SourceEntry;
import io.alerthistory.target.source.TargetSource;
import io.alerthistory.target.source.TargetSourceException;
import io.alerthistory.target.source.TargetSourceException.ErrorType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/** A scripted source: each list() call takes the next step, or returns the current entries. */
final class FakeTargetSource implements TargetSource {

  /** What one list() call does. */
  @FunctionalInterface
  interface Step {
    List<SourceEntry> run() throws TargetSourceException, InterruptedException;
  }

  private final Clock clock;
  private final ConcurrentLinkedDeque<Step> script = new ConcurrentLinkedDeque<>();
  final List<Instant> calls = new CopyOnWriteArrayList<>();
  final List<Thread> listThreads = new CopyOnWriteArrayList<>();
  volatile List<SourceEntry> entries = List.of();
  volatile Consumer<List<SourceEntry>> watcher;
  volatile boolean closed;

  FakeTargetSource(Clock clock) {
    this.clock = clock;
  }

  FakeTargetSource then(Step step) {
    script.add(step);
    return this;
  }

  FakeTargetSource thenFail(ErrorType type, int times) {
    for (int i = 0; i < times; i++) {
      then(
          () -> {
            throw new TargetSourceException("listing failed: " + type.label(), type, null);
          });
    }
    return this;
  }

  /** A step that blocks until {@code release} opens, then returns the current entries. */
  FakeTargetSource thenBlock(CountDownLatch release) {
    return then(
        () -> {
          release.await();
          return entries;
        });
  }

  /** Delivers a watched change, as a real source's watch would. */
  void emit(List<SourceEntry> now) {
    entries = now;
    watcher.accept(now);
  }

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public List<SourceEntry> list() throws TargetSourceException {
    calls.add(clock.instant());
    listThreads.add(Thread.currentThread());
    Step step = script.poll();
    if (step == null) {
      return entries;
    }
    try {
      return step.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TargetSourceException("interrupted", ErrorType.NETWORK, e);
    }
  }

  @Override
  public void watch(Consumer<List<SourceEntry>> onChange) {
    watcher = onChange;
  }

  @Override
  public boolean watching() {
    return watcher != null && !closed;
  }

  @Override
  public void close() {
    closed = true;
  }

  /** A valid log target declared in a file named after it. */
  static SourceEntry logTarget(String name) {
    return declared(name, "{\"type\":\"log\"}");
  }

  static SourceEntry declared(String name, String json) {
    try {
      return new SourceEntry.Declared(
          "/targets/" + name + ".json", "", name, Json.MAPPER.readTree(json));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static SourceEntry unreadable(String name) {
    return new SourceEntry.Unreadable("/targets/" + name + ".json", "", name, "not JSON");
  }
}
