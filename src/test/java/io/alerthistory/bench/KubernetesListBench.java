package io.alerthistory.bench;

import io.alerthistory.target.SourceEntry;
import io.alerthistory.target.source.KubernetesTargetSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Time of one full {@link KubernetesTargetSource#list()} of N labelled Secrets from the mock API
 * server, best and median of the measured runs after warm-up. Goal: under 1 s for 1,000. Arguments:
 * [secrets=1000] [warmup=5] [runs=10].
 */
public final class KubernetesListBench {
  private static final String NS = "bench";
  private static final Duration RUN_LIMIT = Duration.ofMinutes(3);

  public static void main(String[] args) throws Exception {
    KubernetesBenchSupport.quietLogs();
    int secrets = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    long deadline = System.nanoTime() + RUN_LIMIT.toNanos();

    KubernetesMockServer server = KubernetesBenchSupport.crudServer();
    try (KubernetesClient client = server.createClient();
        KubernetesTargetSource source =
            new KubernetesTargetSource(
                client, List.of(NS), KubernetesBenchSupport.SELECTOR, Duration.ZERO)) {
      for (int i = 0; i < secrets; i++) {
        client
            .secrets()
            .inNamespace(NS)
            .resource(
                KubernetesBenchSupport.target(
                    NS, "target-" + i, "https://t" + i + ".example.test/hook"))
            .create();
        check(deadline);
      }
      List<Long> times = new ArrayList<>();
      for (int i = 0; i < warmup + runs; i++) {
        long start = System.nanoTime();
        List<SourceEntry> entries = source.list();
        long took = System.nanoTime() - start;
        if (entries.size() != secrets) {
          throw new IllegalStateException("listed " + entries.size() + " of " + secrets);
        }
        if (i >= warmup) {
          times.add(took);
        }
        check(deadline);
      }
      double[] ms = KubernetesBenchSupport.sortedMillis(times);
      System.out.printf(
          Locale.ROOT,
          "KubernetesListBench secrets=%d runs=%d best=%.1fms median=%.1fms worst=%.1fms"
              + " (goal < 1000ms)%n",
          secrets,
          ms.length,
          ms[0],
          KubernetesBenchSupport.percentile(ms, 50),
          ms[ms.length - 1]);
    } finally {
      server.destroy();
    }
  }

  private static void check(long deadline) {
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException("benchmark exceeded its time limit");
    }
  }
}
