package io.alerthistory.bench;

import io.alerthistory.target.SourceEntry;
import io.alerthistory.target.source.KubernetesTargetSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Time from a Secret create, update or delete on the mock API server to the watch listing that
 * reflects it. Goal: p99 at most 1 s. Arguments: [changes=200] [debounceMs...=0 100].
 */
public final class KubernetesPropagationBench {
  private static final String NS = "bench";
  private static final int WARMUP = 30;
  private static final int BACKGROUND = 20;
  private static final Duration STEP_LIMIT = Duration.ofSeconds(5);
  private static final Duration RUN_LIMIT = Duration.ofMinutes(3);

  private final Object lock = new Object();
  private List<SourceEntry> latest = List.of();
  private long latestAt;

  public static void main(String[] args) throws Exception {
    KubernetesBenchSupport.quietLogs();
    int changes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    List<Long> debounces = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      debounces.add(Long.parseLong(args[i]));
    }
    if (debounces.isEmpty()) {
      debounces = List.of(0L, 100L);
    }
    long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
    for (long debounce : debounces) {
      new KubernetesPropagationBench().run(changes, Duration.ofMillis(debounce), deadline);
    }
  }

  private void run(int changes, Duration debounce, long deadline) throws InterruptedException {
    KubernetesMockServer server = KubernetesBenchSupport.crudServer();
    try (KubernetesClient client = server.createClient();
        KubernetesTargetSource source =
            new KubernetesTargetSource(
                client, List.of(NS), KubernetesBenchSupport.SELECTOR, debounce)) {
      for (int i = 0; i < BACKGROUND; i++) {
        create(client, "background-" + i, "https://bg.example.test/");
      }
      source.watch(this::accept);
      await(e -> e.size() == BACKGROUND, deadline);

      List<Long> latencies = new ArrayList<>();
      for (int i = 0; i < WARMUP + changes; i++) {
        long took = change(client, i, deadline);
        if (i >= WARMUP) {
          latencies.add(took);
        }
      }
      double[] ms = KubernetesBenchSupport.sortedMillis(latencies);
      System.out.printf(
          Locale.ROOT,
          "KubernetesPropagationBench debounce=%dms changes=%d p50=%.1fms p99=%.1fms max=%.1fms"
              + " (goal p99 <= 1000ms)%n",
          debounce.toMillis(),
          ms.length,
          KubernetesBenchSupport.percentile(ms, 50),
          KubernetesBenchSupport.percentile(ms, 99),
          ms[ms.length - 1]);
    } finally {
      server.destroy();
    }
  }

  /** One change in a create, update, delete cycle; returns nanoseconds until it was reported. */
  private long change(KubernetesClient client, int i, long deadline) throws InterruptedException {
    String name = "t-" + (i / 3);
    String origin = NS + "/" + name;
    long start = System.nanoTime();
    Predicate<List<SourceEntry>> seen;
    switch (i % 3) {
      case 0 -> {
        create(client, name, "https://v1.example.test/");
        seen = e -> find(e, origin) != null;
      }
      case 1 -> {
        client
            .secrets()
            .inNamespace(NS)
            .resource(KubernetesBenchSupport.target(NS, name, "https://v2.example.test/"))
            .update();
        seen =
            e -> {
              SourceEntry s = find(e, origin);
              return s instanceof SourceEntry.Declared d
                  && d.document().path("url").asText().contains("v2");
            };
      }
      default -> {
        client.secrets().inNamespace(NS).withName(name).delete();
        seen = e -> find(e, origin) == null;
      }
    }
    return await(seen, deadline) - start;
  }

  private static void create(KubernetesClient client, String name, String url) {
    client
        .secrets()
        .inNamespace(NS)
        .resource(KubernetesBenchSupport.target(NS, name, url))
        .create();
  }

  private static SourceEntry find(List<SourceEntry> entries, String origin) {
    for (SourceEntry e : entries) {
      if (e.origin().equals(origin)) {
        return e;
      }
    }
    return null;
  }

  private void accept(List<SourceEntry> entries) {
    long now = System.nanoTime();
    synchronized (lock) {
      latest = entries;
      latestAt = now;
      lock.notifyAll();
    }
  }

  /** Waits for a listing that passes; returns when that listing arrived. */
  private long await(Predicate<List<SourceEntry>> seen, long deadline) throws InterruptedException {
    long stepEnd = Math.min(deadline, System.nanoTime() + STEP_LIMIT.toNanos());
    synchronized (lock) {
      while (!seen.test(latest)) {
        long left = stepEnd - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException("change not reported within the time limit");
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return latestAt;
    }
  }
}
