package io.alerthistory.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RenderedCacheTest {
  private final AtomicLong now = new AtomicLong();
  private final AtomicInteger renders = new AtomicInteger();

  private RenderedCache.Rendered render() {
    return RenderedCache.tagged(
        200, ("body " + renders.incrementAndGet()).getBytes(StandardCharsets.UTF_8));
  }

  private final List<Runnable> background = new ArrayList<>();

  @Test
  void aDueEntryIsRenderedInTheBackgroundWhileThePreviousIsServed() {
    RenderedCache cache = new RenderedCache(Duration.ofSeconds(1), now::get, background::add);
    RenderedCache.Rendered first = cache.get("k", this::render);
    now.addAndGet(Duration.ofMillis(999).toNanos());
    assertThat(cache.get("k", this::render)).isSameAs(first);
    assertThat(cache.get("other", this::render)).isNotSameAs(first);
    assertThat(background).isEmpty();

    now.addAndGet(Duration.ofMillis(1).toNanos());
    assertThat(cache.get("k", this::render)).isSameAs(first);
    assertThat(cache.get("k", this::render)).isSameAs(first);
    assertThat(background).hasSize(1);
    background.removeFirst().run();
    RenderedCache.Rendered second = cache.get("k", this::render);
    assertThat(second.etag()).isNotEqualTo(first.etag());
    assertThat(renders).hasValue(3);
  }

  @Test
  void withNoTtlEveryRequestRenders() {
    RenderedCache cache = new RenderedCache(Duration.ZERO, now::get, background::add);
    cache.get("k", this::render);
    cache.get("k", this::render);
    assertThat(renders).hasValue(2);
  }

  @Test
  void theSameBodyHasTheSameStrongEtag() {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    assertThat(RenderedCache.tagged(200, body).etag())
        .isEqualTo(RenderedCache.tagged(200, body.clone()).etag())
        .matches("\"[0-9a-f]+-[0-9a-f]+\"");
  }
}
