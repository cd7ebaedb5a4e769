package io.alerthistory.bench;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

import io.alerthistory.target.SourceEntry;
import io.alerthistory.target.source.DirectoryTargetSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Time from a file operation in TARGETS_DIR to the watcher handing over a listing that shows it,
 * with the default settings (200 ms debounce). Changes rotate create, update (alternately in place
 * and by atomic rename), delete; each waits for the previous one to be reported. Goal: p99 ≤ 1 s.
 *
 * <p>Usage: {@code DirectoryPropagationBench [changes=200]}. Bounded: 5 s per change, 3 min total.
 */
public final class DirectoryPropagationBench {
  private static final Duration PER_CHANGE_LIMIT = Duration.ofSeconds(5);
  private static final Duration TOTAL_LIMIT = Duration.ofMinutes(3);
  private static final int WARMUP = 9;
  private static final int FILES = 5;

  private record Observed(long at, List<SourceEntry> listing) {}

  private final Path dir;
  private final BlockingQueue<Observed> reported = new LinkedBlockingQueue<>();
  private final Map<String, String> expected = new HashMap<>();
  private long version;

  private DirectoryPropagationBench(Path dir) {
    this.dir = dir;
  }

  public static void main(String[] args) throws Exception {
    if (System.getProperty("LOG_LEVEL") == null) {
      System.setProperty("LOG_LEVEL", "WARN"); // read by logback.xml; keeps per-change logs out
    }
    int changes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Path dir = Files.createTempDirectory("dirwatch-bench");
    try {
      new DirectoryPropagationBench(dir).run(changes);
    } finally {
      try (Stream<Path> s = Files.list(dir)) {
        for (Path p : s.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  private void run(int changes) throws Exception {
    long deadline = System.nanoTime() + TOTAL_LIMIT.toNanos();
    try (DirectoryTargetSource source = new DirectoryTargetSource(dir)) {
      source.watch(l -> reported.add(new Observed(System.nanoTime(), l)));
      for (int i = 0; i < WARMUP; i++) {
        change(i, deadline);
      }
      long[] latencies = new long[changes];
      for (int i = 0; i < changes; i++) {
        latencies[i] = change(WARMUP + i, deadline);
      }
      report(latencies);
    }
  }

  /** Performs change number i and returns nanoseconds until a listing showed it. */
  private long change(int i, long deadline) throws IOException, InterruptedException {
    int cycle = i / 3;
    Path file = dir.resolve("bench-" + (cycle % FILES) + ".json");
    String origin = file.toString();
    reported.clear();
    long start = System.nanoTime();
    switch (i % 3) {
      case 0, 1 -> {
        String url = "https://example.com/" + (++version);
        String doc = "{\"type\": \"webhook\", \"url\": \"" + url + "\"}";
        if (i % 3 == 1 && cycle % 2 == 1) {
          Path tmp = dir.resolve(file.getFileName() + ".tmp");
          Files.writeString(tmp, doc);
          Files.move(tmp, file, ATOMIC_MOVE, REPLACE_EXISTING);
        } else {
          Files.writeString(file, doc);
        }
        expected.put(origin, url);
      }
      default -> {
        Files.delete(file);
        expected.remove(origin);
      }
    }
    long limit = Math.min(start + PER_CHANGE_LIMIT.toNanos(), deadline);
    while (true) {
      Observed o = reported.poll(limit - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (o == null) {
        throw new IllegalStateException("change " + i + " was not reported in time");
      }
      if (urls(o.listing()).equals(expected)) {
        return o.at() - start;
      }
    }
  }

  private static Map<String, String> urls(List<SourceEntry> listing) {
    Map<String, String> out = new HashMap<>();
    for (SourceEntry e : listing) {
      if (e instanceof SourceEntry.Declared d) {
        out.put(d.origin(), d.document().path("url").asText());
      }
    }
    return out;
  }

  private static void report(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double mean = Arrays.stream(sorted).average().orElse(0);
    System.out.printf(
        "DirectoryPropagationBench: %d changes (create/update/delete), debounce 200 ms%n",
        sorted.length);
    System.out.printf(
        "  p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms  min %.1f ms  mean %.1f ms%n",
        ms(percentile(sorted, 50)),
        ms(percentile(sorted, 90)),
        ms(percentile(sorted, 99)),
        ms(sorted[sorted.length - 1]),
        ms(sorted[0]),
        mean / 1e6);
    boolean ok = ms(percentile(sorted, 99)) <= 1000;
    System.out.println("  goal p99 <= 1000 ms: " + (ok ? "met" : "NOT met"));
  }

  /** Nearest-rank percentile of a sorted array. */
  private static long percentile(long[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
