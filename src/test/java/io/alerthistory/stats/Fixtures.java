package io.alerthistory.stats;

import io.alerthistory.target.PayloadFormat;
import io.alerthistory.target.Target;
import io.alerthistory.target.TargetRegistry;
import io.alerthistory.target.TargetSnapshot;
import io.alerthistory.target.TargetType;
import io.alerthistory.time.Scheduler;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Targets, registries and a scheduler that never runs anything, for stats and health tests. */
public final class Fixtures {
  private Fixtures() {}

  public static Target webhook(String name, String url) {
    return of(name, TargetType.WEBHOOK, url);
  }

  public static Target of(String name, TargetType type, String url) {
    return new Target(
        name,
        "",
        "test/" + name,
        type,
        URI.create(url),
        type.defaultFormat(),
        true,
        Map.of("Authorization", "Bearer s3cret"),
        null,
        List.of(),
        null,
        Duration.ofSeconds(10),
        null);
  }

  public static Target log(String name) {
    return new Target(
        name,
        "",
        "test/" + name,
        TargetType.LOG,
        null,
        PayloadFormat.LOG,
        true,
        Map.of(),
        null,
        List.of(),
        null,
        Duration.ofSeconds(10),
        null);
  }

  public static TargetRegistry registry(Instant at, Target... targets) {
    TargetRegistry r = new TargetRegistry();
    replace(r, at, targets);
    return r;
  }

  public static void replace(TargetRegistry r, Instant at, Target... targets) {
    Map<String, Target> byName = new LinkedHashMap<>();
    for (Target t : targets) {
      byName.put(t.name(), t);
    }
    r.replace(new TargetSnapshot(byName, List.of(), at));
  }

  /** Holds tasks without running them; tests call the monitor directly. */
  public static final Scheduler IDLE =
      new Scheduler() {
        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
          return () -> {};
        }

        @Override
        public boolean shutdown(Duration timeout) {
          return true;
        }
      };
}
