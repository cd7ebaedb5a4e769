package io.alerthistory.bench;

import io.alerthistory.stats.DeliveryStats;
import io.alerthistory.stats.MinuteRing;

/**
 * Retained heap of the stats buckets for 1,000 targets with every one of the 1,440 minutes in use,
 * and the time to rebuild their hourly rollups (done once per minute, on the first read). Goal:
 * under 100 MB.
 */
public final class StatsMemoryBench {
  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    String[] names = StatsFill.names(count);
    long before = RegistryMemoryBench.usedAfterGc();
    StatsFill.Movable clock = new StatsFill.Movable();
    DeliveryStats stats = new DeliveryStats(clock);
    long end = System.currentTimeMillis();
    long start = System.nanoTime();
    StatsFill.fill(stats, clock, names, end);
    double fillMs = (System.nanoTime() - start) / 1e6;
    long after = RegistryMemoryBench.usedAfterGc();
    System.out.printf(
        "stats of %d targets x %d minutes: %.1f MB retained (layout %d bytes per minute per"
            + " target: %.1f MB); filled in %.0f ms%n",
        count,
        MinuteRing.SLOTS,
        (after - before) / 1024.0 / 1024.0,
        MinuteRing.STRIDE * 4,
        (double) count * MinuteRing.SLOTS * MinuteRing.STRIDE * 4 / 1024 / 1024,
        fillMs);
    for (int round = 0; round < 5; round++) {
      clock.millis += 60_000;
      long t0 = System.nanoTime();
      long sum = 0;
      for (String n : names) {
        sum += stats.windows(n).lastHour()[MinuteRing.A_ATTEMPTS];
      }
      System.out.printf(
          "rollup rebuild of %d targets: %.1f ms (check %d)%n",
          count, (System.nanoTime() - t0) / 1e6, sum);
    }
    System.out.println(stats.snapshot().rings().size());
  }
}
