package io.alerthistory.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * Rendered answers kept for a short time per key, with their ETag, so a slow render (the stats of
 * 1,000 targets) is paid once per period, off the request path, instead of on every request.
 */
final class RenderedCache {
  /** A rendered body and its strong ETag. */
  record Rendered(int status, byte[] body, String etag) {}

  private record Entry(Rendered rendered, long renderedAt) {}

  private final long ttlNanos;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Map<String, AtomicBoolean> rendering = new ConcurrentHashMap<>();

  private final LongSupplier nanoTime;

  private final Consumer<Runnable> renderer;

  RenderedCache(Duration ttl) {
    this(ttl, System::nanoTime, task -> Thread.ofVirtual().name("stats-render").start(task));
  }

  /** With the clock and the way background renders run injected, for tests. */
  RenderedCache(Duration ttl, LongSupplier nanoTime, Consumer<Runnable> renderer) {
    this.ttlNanos = ttl.toNanos();
    this.nanoTime = nanoTime;
    this.renderer = renderer;
  }

  /**
   * The body for {@code key}. Only the first request renders in line; once an entry is older than
   * the TTL, one virtual thread renders it again while requests keep getting the previous body.
   */
  Rendered get(String key, Supplier<Rendered> render) {
    if (ttlNanos <= 0) {
      return render.get();
    }
    Entry e = entries.get(key);
    if (e == null) {
      return store(key, render);
    }
    if (nanoTime.getAsLong() - e.renderedAt() >= ttlNanos) {
      AtomicBoolean busy = rendering.computeIfAbsent(key, k -> new AtomicBoolean());
      if (busy.compareAndSet(false, true)) {
        renderer.accept(
            () -> {
              try {
                store(key, render);
              } finally {
                busy.set(false);
              }
            });
      }
    }
    return e.rendered();
  }

  private Rendered store(String key, Supplier<Rendered> render) {
    Rendered r = render.get();
    entries.put(key, new Entry(r, nanoTime.getAsLong()));
    return r;
  }

  static Rendered tagged(int status, byte[] body) {
    CRC32C crc = new CRC32C();
    crc.update(body);
    String etag =
        "\"" + Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(body.length) + "\"";
    return new Rendered(status, body, etag);
  }
}
