package io.alerthistory.delivery;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random version-4 UUIDs for deliveries. They only need to be unique, not unpredictable, so they
 * come from {@link ThreadLocalRandom} instead of the contended {@code SecureRandom} behind {@link
 * UUID#randomUUID()}.
 */
final class DeliveryIds {
  private DeliveryIds() {}

  static String next() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (r.nextLong() & ~0xf000L) | 0x4000L;
    long lsb = (r.nextLong() & ~(0xcL << 60)) | (0x8L << 60);
    return new UUID(msb, lsb).toString();
  }
}
