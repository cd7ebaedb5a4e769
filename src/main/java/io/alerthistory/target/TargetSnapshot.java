package io.alerthistory.target;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable set of targets built from one complete listing of a source. Publishing always reads
 * a whole snapshot, never a partly updated one.
 *
 * @param targets valid targets by name, in declaration order
 * @param invalid entries that could not become targets, with their reasons
 * @param loadedAt when the listing was taken
 */
public record TargetSnapshot(
    Map<String, Target> targets, List<InvalidTarget> invalid, Instant loadedAt) {

  public TargetSnapshot {
    targets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(targets));
    invalid = List.copyOf(invalid);
  }

  public static TargetSnapshot empty(Instant at) {
    return new TargetSnapshot(Map.of(), List.of(), at);
  }

  /**
   * Validates every entry on its own. Entries are ordered by (namespace, origin); on a duplicate
   * name the first wins and the others become invalid with reason {@code duplicate name}.
   */
  public static TargetSnapshot build(List<SourceEntry> entries, TargetParser parser, Instant at) {
    List<SourceEntry> ordered = new ArrayList<>(entries);
    ordered.sort(Comparator.comparing(SourceEntry::namespace).thenComparing(SourceEntry::origin));
    Map<String, Target> targets = new LinkedHashMap<>();
    List<InvalidTarget> invalid = new ArrayList<>();
    Map<String, String> firstOrigin = new HashMap<>();
    for (SourceEntry entry : ordered) {
      switch (parser.parse(entry)) {
        case TargetParser.Valid v -> {
          Target t = v.target();
          String winner = firstOrigin.putIfAbsent(t.name(), t.origin());
          if (winner == null) {
            targets.put(t.name(), t);
          } else {
            invalid.add(
                new InvalidTarget(
                    t.name(),
                    t.origin(),
                    List.of(
                        "duplicate name: \"" + t.name() + "\" is already declared by " + winner)));
          }
        }
        case TargetParser.Invalid i -> invalid.add(i.invalid());
      }
    }
    return new TargetSnapshot(targets, invalid, at);
  }

  public Target get(String name) {
    return targets.get(name);
  }

  public List<Target> enabled() {
    return targets.values().stream().filter(Target::enabled).toList();
  }
}
