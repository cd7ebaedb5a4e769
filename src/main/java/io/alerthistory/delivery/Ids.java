package io.alerthistory.delivery;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Short unique ids: a random per-process part and a counter, cheaper than random UUIDs at storm
 * rates and still unique across restarts.
 */
final class Ids {
  // 48 random bits: replicas sharing one journal must not draw the same prefix
  private static final String BOOT =
      HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(0, 12);
  private static final AtomicLong NEXT = new AtomicLong();

  private Ids() {}

  /**
   * The counter is fixed-width, so a process's ids sort in the order they were made: the store's
   * tables keyed by them grow at one end instead of splitting pages all over.
   */
  static String next(String kind) {
    String n = Long.toString(NEXT.incrementAndGet(), 36);
    return kind + "-" + BOOT + "-" + "0".repeat(Math.max(0, 9 - n.length())) + n;
  }
}
