package io.alerthistory.alert;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Alert fingerprints computed as Prometheus and Alertmanager do: FNV-1a 64 over the sorted label
 * names and values, each followed by the byte 0xff, printed as 16 hex digits.
 */
public final class Fingerprints {
  private static final long OFFSET = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;
  private static final int SEPARATOR = 0xff;

  private Fingerprints() {}

  public static String of(Map<String, String> labels) {
    long hash = OFFSET;
    for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
      hash = add(hash, e.getKey());
      hash = addByte(hash, SEPARATOR);
      hash = add(hash, e.getValue());
      hash = addByte(hash, SEPARATOR);
    }
    return String.format("%016x", hash);
  }

  private static long add(long hash, String s) {
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      hash = addByte(hash, b & 0xff);
    }
    return hash;
  }

  private static long addByte(long hash, int b) {
    return (hash ^ b) * PRIME;
  }
}
