package io.alerthistory.target;

import java.util.List;

/**
 * An entry that could not become a target, kept with its reasons so operators can fix it.
 *
 * @param name the declared or default name, if one could be read
 * @param origin where it was declared: a file path or {@code namespace/secret}
 * @param reasons what is wrong, each naming the field; never containing secret values
 */
public record InvalidTarget(String name, String origin, List<String> reasons) {
  public InvalidTarget {
    reasons = List.copyOf(reasons);
  }
}
