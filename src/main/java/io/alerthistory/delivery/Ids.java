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

  static String next(String kind) {
    return kind + "-" + BOOT + "-" + Long.toString(NEXT.incrementAndGet(), 36);
  }
}
