package io.alerthistory.target;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the current {@link TargetSnapshot}. Readers never lock: they take the reference and work on
 * that whole snapshot. Writers swap in a complete new one.
 */
public final class TargetRegistry {
  private static final Logger log = LoggerFactory.getLogger(TargetRegistry.class);

  private final AtomicReference<TargetSnapshot> current = new AtomicReference<>();
  private final List<Consumer<TargetSnapshot>> listeners = new CopyOnWriteArrayList<>();

  /** The current snapshot, or null before the first load. */
  public TargetSnapshot current() {
    return current.get();
  }

  public boolean isLoaded() {
    return current.get() != null;
  }

  /** Called with every new snapshot after it is in place. */
  public void onChange(Consumer<TargetSnapshot> listener) {
    listeners.add(listener);
  }

  public void replace(TargetSnapshot next) {
    TargetSnapshot previous = current.getAndSet(Objects.requireNonNull(next));
    logChanges(previous, next);
    for (Consumer<TargetSnapshot> l : listeners) {
      l.accept(next);
    }
  }

  private static void logChanges(TargetSnapshot previous, TargetSnapshot next) {
    var before = previous == null ? java.util.Map.<String, Target>of() : previous.targets();
    List<String> added =
        next.targets().keySet().stream().filter(n -> !before.containsKey(n)).toList();
    List<String> removed =
        before.keySet().stream().filter(n -> !next.targets().containsKey(n)).toList();
    List<String> changed =
        next.targets().values().stream()
            .filter(t -> before.containsKey(t.name()) && !before.get(t.name()).equals(t))
            .map(Target::name)
            .toList();
    log.atInfo()
        .addKeyValue("added", added)
        .addKeyValue("changed", changed)
        .addKeyValue("removed", removed)
        .addKeyValue("valid", next.targets().size())
        .addKeyValue("invalid", next.invalid().size())
        .log("targets loaded");
    List<InvalidTarget> known = previous == null ? List.of() : previous.invalid();
    for (InvalidTarget i : next.invalid()) {
      if (known.contains(i)) {
        continue;
      }
      log.atWarn()
          .addKeyValue("target", i.name())
          .addKeyValue("origin", i.origin())
          .addKeyValue("reasons", i.reasons())
          .log("invalid target ignored");
    }
  }
}
