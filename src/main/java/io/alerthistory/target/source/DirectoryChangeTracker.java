package io.alerthistory.target.source;

import io.alerthistory.target.SourceEntry;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Decides what the directory watcher publishes after each re-read: the complete listing when it
 * differs from the last one published, except that a file which was readable and now reads as
 * broken keeps its previous entries until it has stayed broken and unchanged for the settle period.
 * That hides the half-written state of editors that truncate and then write. Time is passed in
 * (monotonic nanoseconds) so the rules are tested without waiting. Not thread-safe: one watcher
 * thread owns it.
 */
final class DirectoryChangeTracker {
  private final long recheckNanos;
  private final long settleNanos;

  private Map<Path, List<SourceEntry>> published = Map.of();
  private List<SourceEntry> listing = List.of();
  private Map<Path, Held> held = Map.of();

  /** A broken file whose previous entries are still published; since = first seen in this state. */
  private record Held(long size, FileTime modified, long since) {}

  /**
   * What one re-read leads to.
   *
   * @param listing the complete listing now published
   * @param changed whether it differs from the previous one, so consumers must be told
   * @param recheckAt when to re-read even without a file event, while files are held
   * @param held files newly held back as half-written
   * @param settled files published as broken because they stayed so for the settle period
   */
  record Result(
      List<SourceEntry> listing,
      boolean changed,
      OptionalLong recheckAt,
      List<Path> held,
      List<Path> settled) {}

  DirectoryChangeTracker(Duration recheck, Duration settle) {
    this.recheckNanos = Math.max(1, recheck.toNanos());
    this.settleNanos = settle.toNanos();
  }

  /** Takes the state the consumer already has (from its own listing) without reporting a change. */
  void baseline(List<DirectoryFile> files) {
    Map<Path, List<SourceEntry>> next = new HashMap<>();
    List<SourceEntry> all = new ArrayList<>();
    for (DirectoryFile f : files) {
      next.put(f.path(), f.entries());
      all.addAll(f.entries());
    }
    published = next;
    listing = List.copyOf(all);
    held = Map.of();
  }

  List<SourceEntry> listing() {
    return listing;
  }

  Result apply(List<DirectoryFile> files, long now) {
    Map<Path, List<SourceEntry>> next = new HashMap<>();
    Map<Path, Held> nextHeld = new HashMap<>();
    List<SourceEntry> all = new ArrayList<>();
    List<Path> newlyHeld = new ArrayList<>();
    List<Path> settled = new ArrayList<>();
    long recheckAt = 0;
    boolean recheck = false;
    for (DirectoryFile f : files) {
      List<SourceEntry> before = published.get(f.path());
      List<SourceEntry> entries = f.entries();
      if (f.broken() && readable(before)) {
        Held h = held.get(f.path());
        if (h == null) {
          newlyHeld.add(f.path());
        }
        if (h == null || h.size() != f.size() || !Objects.equals(h.modified(), f.modified())) {
          h = new Held(f.size(), f.modified(), now);
        }
        if (now - h.since() >= settleNanos) {
          settled.add(f.path());
        } else {
          entries = before;
          nextHeld.put(f.path(), h);
          long due = Math.min(now + recheckNanos, h.since() + settleNanos);
          recheckAt = recheck ? Math.min(recheckAt, due) : due;
          recheck = true;
        }
      }
      next.put(f.path(), entries);
      all.addAll(entries);
    }
    List<SourceEntry> nextListing = List.copyOf(all);
    boolean changed = !nextListing.equals(listing);
    published = next;
    held = nextHeld;
    listing = nextListing;
    return new Result(
        nextListing,
        changed,
        recheck ? OptionalLong.of(recheckAt) : OptionalLong.empty(),
        List.copyOf(newlyHeld),
        List.copyOf(settled));
  }

  private static boolean readable(List<SourceEntry> entries) {
    return entries != null
        && !entries.isEmpty()
        && entries.stream().noneMatch(DirectoryFile::brokenEntry);
  }
}
