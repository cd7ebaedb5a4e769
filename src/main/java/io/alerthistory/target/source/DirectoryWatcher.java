package io.alerthistory.target.source;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import io.alerthistory.target.SourceEntry;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one directory with the JDK {@link WatchService} (inotify on Linux) on its own thread,
 * debounces bursts of events, re-reads the whole directory and hands changed listings to the
 * consumer. Any event triggers a re-read, including events on ignored names: Kubernetes volume
 * updates only swap the hidden {@code ..data} link.
 */
final class DirectoryWatcher implements AutoCloseable {
  static final String THREAD_NAME = "targets-dir-watch";
  private static final Logger log = LoggerFactory.getLogger(DirectoryWatcher.class);
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);
  private static final int MAX_LOGGED_NAMES = 20;

  /** Reads the directory; the watcher never parses files itself. */
  @FunctionalInterface
  interface Reader {
    List<DirectoryFile> read() throws TargetSourceException;
  }

  private final Path dir;
  private final DirectoryWatchSettings settings;
  private final Reader reader;
  private final Consumer<List<SourceEntry>> onChange;
  private final DirectoryChangeTracker tracker;
  private final long debounceNanos;
  private final long maxBatchNanos;
  private final long retryNanos;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch closedSignal = new CountDownLatch(1);
  private volatile boolean watching;
  private volatile WatchService service;
  private volatile Thread thread;

  // Owned by the watcher thread (and by start() before the thread exists).
  private WatchKey key;
  private Object dirKey;
  private boolean failing;
  private boolean dirty;
  private boolean overflowed;
  private long firstEventAt;
  private long lastEventAt;
  private final SortedSet<String> changedNames = new TreeSet<>();
  private OptionalLong recheckAt = OptionalLong.empty();
  private long nextDirCheckAt;

  DirectoryWatcher(
      Path dir,
      DirectoryWatchSettings settings,
      Reader reader,
      Consumer<List<SourceEntry>> onChange) {
    this.dir = Objects.requireNonNull(dir);
    this.settings = Objects.requireNonNull(settings);
    this.reader = Objects.requireNonNull(reader);
    this.onChange = Objects.requireNonNull(onChange);
    this.tracker = new DirectoryChangeTracker(settings.debounce(), settings.settle());
    this.debounceNanos = settings.debounce().toNanos();
    this.maxBatchNanos = settings.maxBatch().toNanos();
    this.retryNanos = settings.retryPeriod().toNanos();
  }

  /**
   * Registers the watch and takes the current state as the baseline before returning, so every
   * change made after this returns is reported; then starts the watcher thread.
   */
  void start() {
    log.atInfo()
        .addKeyValue("dir", dir.toString())
        .addKeyValue("debounce_ms", settings.debounce().toMillis())
        .addKeyValue("settle_ms", settings.settle().toMillis())
        .log("watching targets directory");
    register(System.nanoTime(), true);
    thread = Thread.ofPlatform().name(THREAD_NAME).daemon(true).start(this::run);
  }

  boolean watching() {
    return watching;
  }

  /** Stops the thread and closes the watch service; waits (bounded) for a running callback. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closedSignal.countDown();
    closeService();
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      try {
        if (!t.join(JOIN_TIMEOUT)) {
          log.atWarn()
              .addKeyValue("dir", dir.toString())
              .addKeyValue("timeout_ms", JOIN_TIMEOUT.toMillis())
              .log("targets directory watcher did not stop in time");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    watching = false;
  }

  private void run() {
    try {
      while (!closed.get()) {
        try {
          step();
        } catch (ClosedWatchServiceException e) {
          if (!closed.get()) {
            lost("watch service closed");
            service = null;
          }
        } catch (RuntimeException e) {
          log.atError()
              .addKeyValue("dir", dir.toString())
              .setCause(e)
              .log("targets directory watcher failed");
          lost("unexpected error");
          closedSignal.await(retryNanos, TimeUnit.NANOSECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      watching = false;
      closeService();
      log.atInfo().addKeyValue("dir", dir.toString()).log("stopped watching targets directory");
    }
  }

  /** One turn: wait for events or the next deadline, then re-read if something is due. */
  private void step() throws InterruptedException {
    long now = System.nanoTime();
    if (key == null) {
      if (!register(now, false)) {
        closedSignal.await(retryNanos, TimeUnit.NANOSECONDS);
      }
      return;
    }
    WatchKey signalled = service.poll(nanosUntilDue(now), TimeUnit.NANOSECONDS);
    now = System.nanoTime();
    if (signalled != null) {
      collect(signalled, now);
    }
    if (key != null && now - nextDirCheckAt >= 0) {
      checkDirectory(now);
    }
    if (key != null && due(now)) {
      rescan(now);
    }
  }

  /** Opens the watch service if needed and registers the directory; false when it cannot. */
  private boolean register(long now, boolean initial) {
    try {
      if (service == null) {
        service = FileSystems.getDefault().newWatchService();
        if (closed.get()) {
          closeService();
          return false;
        }
      }
      key = dir.register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE, OVERFLOW);
      dirKey = fileKey();
    } catch (IOException | RuntimeException e) {
      key = null;
      if (!failing && !closed.get()) {
        failing = true;
        log.atWarn()
            .addKeyValue("dir", dir.toString())
            .addKeyValue("error", e.getClass().getSimpleName())
            .addKeyValue("retry_ms", settings.retryPeriod().toMillis())
            .log("cannot watch targets directory; retrying");
      }
      return false;
    }
    watching = true;
    nextDirCheckAt = now + retryNanos;
    if (initial) {
      try {
        tracker.baseline(reader.read());
        return true;
      } catch (TargetSourceException e) {
        // compared below against an empty baseline, like a directory that just appeared
      }
    }
    if (failing) {
      log.atInfo().addKeyValue("dir", dir.toString()).log("watching targets directory again");
    }
    failing = false;
    // Anything may have happened while the watch was down.
    rescan(now);
    return key != null;
  }

  private void collect(WatchKey signalled, long now) {
    List<WatchEvent<?>> events = signalled.pollEvents();
    if (signalled != key) {
      return; // a key cancelled by an earlier loss
    }
    for (WatchEvent<?> e : events) {
      if (e.kind() == OVERFLOW) {
        overflowed = true;
      } else if (e.context() instanceof Path p && changedNames.size() < MAX_LOGGED_NAMES) {
        changedNames.add(p.toString());
      }
    }
    if (!dirty) {
      firstEventAt = now;
    }
    dirty = true;
    lastEventAt = now;
    if (!signalled.reset()) {
      lost("watch key no longer valid");
    }
  }

  private boolean due(long now) {
    boolean batchDue =
        dirty
            && (now - lastEventAt - debounceNanos >= 0 || now - firstEventAt - maxBatchNanos >= 0);
    return batchDue || (recheckAt.isPresent() && now - recheckAt.getAsLong() >= 0);
  }

  private long nanosUntilDue(long now) {
    long wait = nextDirCheckAt - now;
    if (dirty) {
      wait = Math.min(wait, lastEventAt + debounceNanos - now);
      wait = Math.min(wait, firstEventAt + maxBatchNanos - now);
    }
    if (recheckAt.isPresent()) {
      wait = Math.min(wait, recheckAt.getAsLong() - now);
    }
    return Math.max(0, wait);
  }

  private void rescan(long now) {
    List<String> names = List.copyOf(changedNames);
    boolean overflow = overflowed;
    dirty = false;
    overflowed = false;
    changedNames.clear();
    recheckAt = OptionalLong.empty();
    if (overflow) {
      log.atWarn()
          .addKeyValue("dir", dir.toString())
          .log("file events overflowed; re-reading the whole targets directory");
    }
    List<DirectoryFile> files;
    try {
      files = reader.read();
    } catch (TargetSourceException e) {
      if (!Files.isDirectory(dir)) {
        lost("directory is gone");
      } else {
        log.atWarn()
            .addKeyValue("dir", dir.toString())
            .addKeyValue("error", e.getMessage())
            .log("cannot re-read targets directory; retrying");
        recheckAt = OptionalLong.of(now + retryNanos);
      }
      return;
    }
    DirectoryChangeTracker.Result r = tracker.apply(files, now);
    recheckAt = r.recheckAt();
    for (Path p : r.held()) {
      log.atInfo()
          .addKeyValue("file", p.getFileName().toString())
          .addKeyValue("settle_ms", settings.settle().toMillis())
          .log("target file unreadable, keeping its previous entries until it settles");
    }
    for (Path p : r.settled()) {
      log.atWarn()
          .addKeyValue("file", p.getFileName().toString())
          .log("target file still unreadable after the settle period");
    }
    log.atDebug()
        .addKeyValue("dir", dir.toString())
        .addKeyValue("events", names)
        .addKeyValue("files", files.size())
        .addKeyValue("changed", r.changed())
        .log("targets directory re-read");
    if (!r.changed()) {
      return;
    }
    log.atInfo()
        .addKeyValue("dir", dir.toString())
        .addKeyValue("files", fileNames(files))
        .addKeyValue("events", names)
        .addKeyValue("entries", r.listing().size())
        .log("targets directory changed");
    try {
      onChange.accept(r.listing());
    } catch (RuntimeException e) {
      log.atError()
          .addKeyValue("dir", dir.toString())
          .setCause(e)
          .log("target listing consumer failed");
    }
  }

  /** Catches a directory moved away or replaced, which inotify does not report on its key. */
  private void checkDirectory(long now) {
    nextDirCheckAt = now + retryNanos;
    Object current = fileKey();
    if (current == null || !current.equals(dirKey)) {
      lost("directory was removed or replaced");
    }
  }

  private Object fileKey() {
    try {
      BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class);
      if (!a.isDirectory()) {
        return null;
      }
      return a.fileKey() == null ? Boolean.TRUE : a.fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  private void lost(String reason) {
    if (key != null) {
      key.cancel();
    }
    key = null;
    dirty = false;
    overflowed = false;
    changedNames.clear();
    recheckAt = OptionalLong.empty();
    watching = false;
    if (closed.get()) {
      return;
    }
    failing = true;
    log.atWarn()
        .addKeyValue("dir", dir.toString())
        .addKeyValue("reason", reason)
        .addKeyValue("retry_ms", settings.retryPeriod().toMillis())
        .log("targets directory watch lost; retrying");
  }

  private void closeService() {
    WatchService s = service;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        log.atDebug().setCause(e).log("closing the watch service failed");
      }
    }
  }

  private static List<String> fileNames(List<DirectoryFile> files) {
    List<String> out = new ArrayList<>();
    for (DirectoryFile f : files) {
      if (out.size() == MAX_LOGGED_NAMES) {
        break;
      }
      out.add(f.path().getFileName().toString());
    }
    return out;
  }
}
