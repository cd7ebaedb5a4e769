package io.alerthistory.target.source;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.alerthistory.format.Formatters;
import io.alerthistory.target.InvalidTarget;
import io.alerthistory.target.SourceEntry;
import io.alerthistory.target.Target;
import io.alerthistory.target.TargetParser;
import io.alerthistory.target.TargetSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DirectoryTargetSourceWatchTest {
  private static final TargetParser PARSER = new TargetParser(Formatters.standard().available());
  private static final Duration QUIET = Duration.ofMillis(500);
  private static final Duration SETTLE_NEVER = Duration.ofSeconds(30);

  @TempDir Path dir;

  private final List<List<SourceEntry>> calls = new CopyOnWriteArrayList<>();
  private DirectoryTargetSource source;

  @AfterEach
  void closeSource() {
    if (source != null) {
      source.close();
    }
  }

  private void watch(DirectoryWatchSettings settings) {
    watch(dir, settings);
  }

  private void watch(Path where, DirectoryWatchSettings settings) {
    source = new DirectoryTargetSource(where, settings);
    source.watch(calls::add);
  }

  private static DirectoryWatchSettings settings(long debounceMs, Duration settle) {
    return new DirectoryWatchSettings(
        Duration.ofMillis(debounceMs), settle, Duration.ofMillis(100));
  }

  private static TargetSnapshot snapshot(List<SourceEntry> entries) {
    return TargetSnapshot.build(entries, PARSER, Instant.now());
  }

  private TargetSnapshot last() {
    return calls.isEmpty() ? null : snapshot(calls.getLast());
  }

  private static String webhook(String url) {
    return "{\"type\": \"webhook\", \"url\": \"" + url + "\"}";
  }

  private static Predicate<TargetSnapshot> hasUrl(String name, String url) {
    return s -> {
      Target t = s.get(name);
      return t != null && t.url().toString().equals(url);
    };
  }

  private static boolean invalid(TargetSnapshot s, String name) {
    return s.invalid().stream().map(InvalidTarget::name).anyMatch(name::equals);
  }

  private interface FileOp {
    void run() throws IOException;
  }

  /** Runs op, waits for a listing that shows it, then checks that no other listing follows. */
  private void assertAppliedOnce(FileOp op, Predicate<TargetSnapshot> applied) throws IOException {
    int before = calls.size();
    op.run();
    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> calls.size() > before && applied.test(last()));
    await().during(QUIET).atMost(QUIET.multipliedBy(3)).until(() -> calls.size() == before + 1);
  }

  @Test
  void createdFileIsReported() throws IOException {
    watch(DirectoryWatchSettings.defaults());
    assertThat(source.watching()).isTrue();

    assertAppliedOnce(
        () -> Files.writeString(dir.resolve("team-a.json"), webhook("https://example.com/a")),
        hasUrl("team-a", "https://example.com/a"));
    assertThat(last().invalid()).isEmpty();
  }

  @Test
  void secretManifestInYamlIsReported() throws IOException {
    watch(DirectoryWatchSettings.defaults());
    String manifest =
        """
        apiVersion: v1
        kind: Secret
        metadata:
          name: pd-prod
          labels: {publishing-target: "true"}
        stringData:
          config: |
            {"type": "webhook", "url": "https://example.com/pd"}
        """;
    assertAppliedOnce(
        () -> Files.writeString(dir.resolve("pd.yaml"), manifest),
        hasUrl("pd-prod", "https://example.com/pd"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a.json.tmp", ".a.json.swp"})
  void atomicRenameOverIsAppliedOnce(String tempName) throws IOException {
    Path target = dir.resolve("a.json");
    Files.writeString(target, webhook("https://example.com/1"));
    watch(DirectoryWatchSettings.defaults());

    assertAppliedOnce(
        () -> {
          Path tmp = dir.resolve(tempName);
          Files.writeString(tmp, webhook("https://example.com/2"));
          Files.move(tmp, target, ATOMIC_MOVE, REPLACE_EXISTING);
        },
        hasUrl("a", "https://example.com/2"));
  }

  @Test
  void inPlaceEditIsAppliedOnce() throws IOException {
    Path target = dir.resolve("a.json");
    Files.writeString(target, webhook("https://example.com/1"));
    watch(DirectoryWatchSettings.defaults());

    // writeString truncates, then writes: two events for one logical change
    assertAppliedOnce(
        () -> Files.writeString(target, webhook("https://example.com/2")),
        hasUrl("a", "https://example.com/2"));
  }

  @Test
  void deleteIsAppliedOnce() throws IOException {
    Files.writeString(dir.resolve("a.json"), webhook("https://example.com/1"));
    Files.writeString(dir.resolve("b.json"), webhook("https://example.com/b"));
    watch(DirectoryWatchSettings.defaults());

    assertAppliedOnce(
        () -> Files.delete(dir.resolve("a.json")), s -> s.get("a") == null && s.get("b") != null);
  }

  @Test
  void eventsWithoutAChangeAreNotReported() throws IOException {
    Path target = dir.resolve("a.json");
    Files.writeString(target, webhook("https://example.com/1"));
    watch(settings(50, SETTLE_NEVER));

    Files.writeString(target, webhook("https://example.com/1"));
    Files.writeString(dir.resolve("notes.txt"), "not a target");
    await().during(QUIET).atMost(QUIET.multipliedBy(3)).until(calls::isEmpty);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{\"type\": \"webhook\", \"ur"})
  void halfWrittenFileCompletedWithinSettleNeverShowsInvalid(String partial) throws IOException {
    Path target = dir.resolve("a.json");
    Files.writeString(target, webhook("https://example.com/1"));
    watch(settings(100, Duration.ofSeconds(5)));

    Files.writeString(target, partial);
    // several debounce periods pass: the broken state is re-read but not published
    await().during(QUIET).atMost(QUIET.multipliedBy(3)).until(calls::isEmpty);

    Files.writeString(target, webhook("https://example.com/2"));
    await().atMost(Duration.ofSeconds(3)).until(() -> !calls.isEmpty());
    assertThat(last()).matches(hasUrl("a", "https://example.com/2"));
    assertThat(calls).hasSize(1);
    assertThat(calls).noneMatch(l -> invalid(snapshot(l), "a"));
  }

  @Test
  void fileLeftBrokenBeyondSettleIsReportedInvalid() throws IOException {
    Duration settle = Duration.ofMillis(300);
    Path target = dir.resolve("a.json");
    Files.writeString(target, webhook("https://example.com/1"));
    watch(settings(50, settle));

    long start = System.nanoTime();
    Files.writeString(target, "{\"type\": \"webhook\", \"ur");
    await().atMost(Duration.ofSeconds(3)).until(() -> !calls.isEmpty());
    long elapsed = System.nanoTime() - start;

    assertThat(Duration.ofNanos(elapsed)).isGreaterThanOrEqualTo(settle);
    assertThat(calls).hasSize(1);
    assertThat(invalid(last(), "a")).isTrue();
    assertThat(last().get("a")).isNull();
  }

  @Test
  void fileThatWasNeverValidIsReportedAtOnce() throws IOException {
    watch(settings(50, SETTLE_NEVER));

    Files.writeString(dir.resolve("bad.json"), "{\"type\": ");
    await().atMost(Duration.ofSeconds(3)).until(() -> !calls.isEmpty());
    assertThat(invalid(last(), "bad")).isTrue();
  }

  @Test
  void hiddenAndTemporaryFilesNeverCauseAnEntry() throws Exception {
    watch(settings(50, SETTLE_NEVER));

    String doc = webhook("https://example.com/x");
    for (String name :
        List.of(".hidden.json", "a.json.swp", ".a.json.swp", "b.json.tmp", "c.swp", "d.yaml~")) {
      Files.writeString(dir.resolve(name), doc);
    }
    Files.writeString(dir.resolve("marker.json"), webhook("https://example.com/m"));

    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> last() != null && last().get("marker") != null);
    assertThat(calls)
        .allSatisfy(
            l ->
                assertThat(l)
                    .extracting(SourceEntry::origin)
                    .allMatch(o -> o.endsWith("marker.json")));
    assertThat(source.list()).extracting(SourceEntry::origin).hasSize(1);
  }

  @Test
  void aBurstOfFilesEndsInTheCompleteListing() throws IOException {
    watch(settings(50, SETTLE_NEVER));

    int n = 600;
    for (int i = 0; i < n; i++) {
      Files.writeString(dir.resolve("t-" + i + ".json"), webhook("https://example.com/" + i));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> last() != null && last().targets().size() == n);
    assertThat(last().invalid()).isEmpty();
  }

  @Test
  void floodWhileTheConsumerIsBusyEndsInTheCompleteListing() throws Exception {
    // While the first callback blocks, events pile up past the JDK's per-key limit (512) and
    // arrive as OVERFLOW, which must still end in a full re-read.
    CountDownLatch release = new CountDownLatch(1);
    source = new DirectoryTargetSource(dir, settings(50, SETTLE_NEVER));
    source.watch(
        l -> {
          calls.add(l);
          if (calls.size() == 1) {
            awaitQuietly(release);
          }
        });
    Files.writeString(dir.resolve("first.json"), webhook("https://example.com/first"));
    await().atMost(Duration.ofSeconds(3)).until(() -> calls.size() == 1);

    int n = 1000;
    for (int i = 0; i < n; i++) {
      Files.writeString(dir.resolve("t-" + i + ".json"), webhook("https://example.com/" + i));
    }
    release.countDown();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> last() != null && last().targets().size() == n + 1);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void closeStopsTheWatcherThreadAndTheWatchService() throws IOException {
    Set<Thread> before = threads();
    watch(settings(50, SETTLE_NEVER));
    Set<Thread> started = threads();
    started.removeAll(before);
    started.removeIf(
        t -> !Set.of(DirectoryWatcher.THREAD_NAME, "FileSystemWatchService").contains(t.getName()));
    // ours, and the JDK's inotify poller behind the WatchService
    assertThat(started)
        .extracting(Thread::getName)
        .containsExactlyInAnyOrder(DirectoryWatcher.THREAD_NAME, "FileSystemWatchService");

    source.close();

    assertThat(source.watching()).isFalse();
    // close() joins our thread; the JDK's poller ends asynchronously once the service is closed
    assertThat(started)
        .filteredOn(t -> t.getName().equals(DirectoryWatcher.THREAD_NAME))
        .noneMatch(Thread::isAlive);
    await().atMost(Duration.ofSeconds(3)).until(() -> started.stream().noneMatch(Thread::isAlive));
    Files.writeString(dir.resolve("late.json"), webhook("https://example.com/late"));
    await().during(QUIET).atMost(QUIET.multipliedBy(3)).until(calls::isEmpty);
    assertThatThrownBy(() -> source.watch(calls::add)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void watchingTwiceIsRefused() {
    watch(settings(50, SETTLE_NEVER));
    assertThatThrownBy(() -> source.watch(calls::add)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void deletedDirectoryIsWatchedAgainWhenItReappears() throws IOException {
    Path targets = Files.createDirectory(dir.resolve("targets"));
    Files.writeString(targets.resolve("a.json"), webhook("https://example.com/a"));
    watch(targets, settings(50, SETTLE_NEVER));
    assertThat(source.watching()).isTrue();

    Files.delete(targets.resolve("a.json"));
    Files.delete(targets);
    await().atMost(Duration.ofSeconds(3)).until(() -> !source.watching());

    Files.createDirectory(targets);
    Files.writeString(targets.resolve("b.json"), webhook("https://example.com/b"));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> source.watching() && last() != null && last().get("b") != null);
    assertThat(last().get("a")).isNull();
  }

  @Test
  void directoryMovedAwayAndReplacedIsWatchedAgain() throws IOException {
    Path targets = Files.createDirectory(dir.resolve("targets"));
    Files.writeString(targets.resolve("a.json"), webhook("https://example.com/a"));
    watch(targets, settings(50, SETTLE_NEVER));

    Files.move(targets, dir.resolve("old"));
    Files.createDirectory(targets);
    Files.writeString(targets.resolve("c.json"), webhook("https://example.com/c"));

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> last() != null && last().get("c") != null && last().get("a") == null);
    assertThat(source.watching()).isTrue();
  }

  @Test
  void directoryMissingAtStartIsWatchedOnceCreated() throws IOException {
    Path targets = dir.resolve("later");
    watch(targets, settings(50, SETTLE_NEVER));
    assertThat(source.watching()).isFalse();

    Files.createDirectory(targets);
    Files.writeString(targets.resolve("a.json"), webhook("https://example.com/a"));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> source.watching() && last() != null && last().get("a") != null);
  }

  private static Set<Thread> threads() {
    Set<Thread> out = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive()) {
        out.add(t);
      }
    }
    return out;
  }
}
