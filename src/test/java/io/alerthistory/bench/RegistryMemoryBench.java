package io.alerthistory.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.alerthistory.format.Formatters;
import io.alerthistory.target.SourceEntry;
import io.alerthistory.target.TargetParser;
import io.alerthistory.target.TargetRegistry;
import io.alerthistory.target.TargetSnapshot;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Retained heap of a registry holding 1,000 realistic targets (headers, filters, rate limits),
 * measured as the difference in used heap after full collections. Goal: under 5 MB.
 */
public final class RegistryMemoryBench {
  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    ObjectMapper json = new ObjectMapper();
    TargetParser parser = new TargetParser(Formatters.standard().available());
    List<SourceEntry> entries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String doc =
          """
          {"name": "team-%d", "type": "webhook", "format": "alertmanager",
           "url": "https://hooks-%d.example.com/alerts/%d?token=abcdef0123456789",
           "headers": {"Authorization": "Bearer 0123456789abcdef0123456789abcdef", "X-Team": "team-%d"},
           "filter": ["severity=~critical|warning", "namespace!=dev", "team=team-%d"],
           "rate_limit": "60/m", "timeout": "5s"}
          """
              .formatted(i, i, i, i, i);
      entries.add(
          new SourceEntry.Declared(
              "monitoring/team-" + i, "monitoring", "team-" + i, json.readTree(doc)));
    }
    // initialise logging and the classes involved so only the snapshot is measured
    new TargetRegistry()
        .replace(TargetSnapshot.build(entries.subList(0, 1), parser, Instant.now()));
    long before = usedAfterGc();
    TargetRegistry registry = new TargetRegistry();
    registry.replace(TargetSnapshot.build(entries, parser, Instant.now()));
    long after = usedAfterGc();
    // the parsed documents stay reachable through both measurements, so only the snapshot counts
    System.out.printf(
        "registry with %d targets: %.2f MB retained (%d valid, %d documents)%n",
        count,
        (after - before) / 1024.0 / 1024.0,
        registry.current().targets().size(),
        entries.size());
  }

  static long usedAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
