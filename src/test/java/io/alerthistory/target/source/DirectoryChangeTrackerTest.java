package io.alerthistory.target.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.alerthistory.target.SourceEntry;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirectoryChangeTrackerTest {
  private static final long MS = 1_000_000L;
  private static final Path A = Path.of("/t/a.json");
  private static final Path B = Path.of("/t/b.json");

  private final DirectoryChangeTracker tracker =
      new DirectoryChangeTracker(Duration.ofMillis(200), Duration.ofMillis(1000));

  private static DirectoryFile valid(Path p, String url, long mtime) {
    var doc = JsonNodeFactory.instance.objectNode().put("type", "webhook").put("url", url);
    String name = p.getFileName().toString().replace(".json", "");
    return new DirectoryFile(
        p,
        40,
        FileTime.fromMillis(mtime),
        List.of(new SourceEntry.Declared(p.toString(), "", name, doc)));
  }

  private static DirectoryFile unreadable(Path p, long size, long mtime) {
    return new DirectoryFile(
        p,
        size,
        FileTime.fromMillis(mtime),
        List.of(new SourceEntry.Unreadable(p.toString(), "", "a", "file is not valid JSON")));
  }

  @Test
  void unchangedListingIsNotAChange() {
    tracker.baseline(List.of(valid(A, "https://x/1", 1)));
    var r = tracker.apply(List.of(valid(A, "https://x/1", 2)), 0);
    assertThat(r.changed()).isFalse();
    assertThat(r.recheckAt()).isEmpty();
  }

  @Test
  void addedChangedAndRemovedFilesAreChanges() {
    tracker.baseline(List.of(valid(A, "https://x/1", 1)));
    assertThat(tracker.apply(List.of(valid(A, "https://x/1", 1), valid(B, "https://y", 1)), 0))
        .satisfies(r -> assertThat(r.changed()).isTrue())
        .satisfies(r -> assertThat(r.listing()).hasSize(2));
    assertThat(
            tracker
                .apply(List.of(valid(A, "https://x/2", 2), valid(B, "https://y", 1)), 1)
                .changed())
        .isTrue();
    var r = tracker.apply(List.of(valid(B, "https://y", 1)), 2);
    assertThat(r.changed()).isTrue();
    assertThat(r.listing()).extracting(SourceEntry::origin).containsExactly(B.toString());
  }

  @Test
  void brokenFileThatWasReadableIsHeldUntilItSettles() {
    var before = valid(A, "https://x/1", 1);
    tracker.baseline(List.of(before));

    var r1 = tracker.apply(List.of(unreadable(A, 10, 5)), 0);
    assertThat(r1.changed()).isFalse();
    assertThat(r1.listing()).isEqualTo(before.entries());
    assertThat(r1.held()).containsExactly(A);
    assertThat(r1.recheckAt()).hasValue(200 * MS);

    var r2 = tracker.apply(List.of(unreadable(A, 10, 5)), 200 * MS);
    assertThat(r2.changed()).isFalse();
    assertThat(r2.held()).isEmpty();
    assertThat(r2.recheckAt()).hasValue(400 * MS);

    var r3 = tracker.apply(List.of(unreadable(A, 10, 5)), 1000 * MS);
    assertThat(r3.changed()).isTrue();
    assertThat(r3.settled()).containsExactly(A);
    assertThat(r3.listing().getFirst()).isInstanceOf(SourceEntry.Unreadable.class);
    assertThat(r3.recheckAt()).isEmpty();
  }

  @Test
  void recheckNeverOvershootsTheSettleDeadline() {
    tracker.baseline(List.of(valid(A, "https://x/1", 1)));
    tracker.apply(List.of(unreadable(A, 10, 5)), 0);
    assertThat(tracker.apply(List.of(unreadable(A, 10, 5)), 900 * MS).recheckAt())
        .hasValue(1000 * MS);
  }

  @Test
  void aBrokenFileStillBeingWrittenRestartsTheSettlePeriod() {
    tracker.baseline(List.of(valid(A, "https://x/1", 1)));
    tracker.apply(List.of(unreadable(A, 10, 5)), 0);
    var grown = tracker.apply(List.of(unreadable(A, 20, 6)), 900 * MS);
    assertThat(grown.changed()).isFalse();
    assertThat(tracker.apply(List.of(unreadable(A, 20, 6)), 1000 * MS).changed()).isFalse();
    assertThat(tracker.apply(List.of(unreadable(A, 20, 6)), 1900 * MS).changed()).isTrue();
  }

  @Test
  void aHeldFileCompletedWithinTheSettlePeriodNeverShowsBroken() {
    tracker.baseline(List.of(valid(A, "https://x/1", 1)));
    assertThat(tracker.apply(List.of(unreadable(A, 10, 5)), 0).changed()).isFalse();
    var r = tracker.apply(List.of(valid(A, "https://x/2", 6)), 300 * MS);
    assertThat(r.changed()).isTrue();
    assertThat(r.listing()).allMatch(e -> e instanceof SourceEntry.Declared);
    assertThat(r.recheckAt()).isEmpty();
  }

  @Test
  void emptyFileAfterReadableIsHeld() {
    tracker.baseline(List.of(valid(A, "https://x/1", 1)));
    var emptyJson =
        new DirectoryFile(
            A,
            0,
            FileTime.fromMillis(5),
            List.of(new SourceEntry.Declared(A.toString(), "", "a", MissingNode.getInstance())));
    var emptyYaml = new DirectoryFile(A, 0, FileTime.fromMillis(5), List.of());
    assertThat(tracker.apply(List.of(emptyJson), 0).changed()).isFalse();
    assertThat(tracker.apply(List.of(emptyYaml), 100 * MS).changed()).isFalse();
  }

  @Test
  void brokenFileThatWasNeverReadableIsReportedAtOnce() {
    tracker.baseline(List.of());
    var r = tracker.apply(List.of(unreadable(A, 10, 5)), 0);
    assertThat(r.changed()).isTrue();
    assertThat(r.held()).isEmpty();
    assertThat(r.recheckAt()).isEmpty();
  }

  @Test
  void deletingAHeldFileIsReportedAtOnce() {
    tracker.baseline(List.of(valid(A, "https://x/1", 1)));
    tracker.apply(List.of(unreadable(A, 10, 5)), 0);
    var r = tracker.apply(List.of(), 100 * MS);
    assertThat(r.changed()).isTrue();
    assertThat(r.listing()).isEmpty();
    assertThat(r.recheckAt()).isEmpty();
  }

  @Test
  void otherChangesPublishTheHeldFilesPreviousEntries() {
    var a = valid(A, "https://x/1", 1);
    tracker.baseline(List.of(a));
    tracker.apply(List.of(unreadable(A, 10, 5)), 0);
    var b = valid(B, "https://y", 1);
    var r = tracker.apply(List.of(unreadable(A, 10, 5), b), 100 * MS);
    assertThat(r.changed()).isTrue();
    assertThat(r.listing()).containsExactly(a.entries().getFirst(), b.entries().getFirst());
  }

  @Test
  void zeroSettlePublishesBrokenStateImmediately() {
    var t = new DirectoryChangeTracker(Duration.ofMillis(200), Duration.ZERO);
    t.baseline(List.of(valid(A, "https://x/1", 1)));
    assertThat(t.apply(List.of(unreadable(A, 10, 5)), 0).changed()).isTrue();
  }
}
