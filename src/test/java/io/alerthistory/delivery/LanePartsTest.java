package io.alerthistory.delivery;

import static io.alerthistory.testing.TestAlerts.firing;
import static io.alerthistory.testing.TestAlerts.notification;
import static io.alerthistory.testing.TestAlerts.resolved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alerthistory.alert.Alert;
import io.alerthistory.alert.AlertStatus;
import io.alerthistory.attempt.FailureReason;
import io.alerthistory.target.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The pieces a lane is made of, on their own. */
class LanePartsTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void pacerHoldsOneSecondsWorthOfTheRateAndRefillsSteadily() {
    RatePacer p = new RatePacer(RateLimit.parse("60/m"), T0);
    assertThat(p.waitTime(T0)).isZero();
    p.take(T0);
    // 60/m is one a second, not sixty at once
    assertThat(p.waitTime(T0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.waitTime(T0.plusMillis(400))).isEqualTo(Duration.ofMillis(600));
    assertThat(p.waitTime(T0.plusSeconds(1))).isZero();

    RatePacer burst = new RatePacer(RateLimit.parse("5/s"), T0);
    for (int i = 0; i < 5; i++) {
      assertThat(burst.waitTime(T0)).isZero();
      burst.take(T0);
    }
    assertThat(burst.waitTime(T0)).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void pacerPausesForRetryAfterEvenWhenUnlimitedAndKeepsThePauseOnANewLimit() {
    RatePacer p = new RatePacer(null, T0);
    assertThat(p.waitTime(T0)).isZero();
    p.pauseUntil(T0.plusSeconds(2));
    p.pauseUntil(T0.plusSeconds(1)); // a shorter pause never shortens the longer one
    assertThat(p.waitTime(T0)).isEqualTo(Duration.ofSeconds(2));
    RatePacer changed = p.withLimit(RateLimit.parse("1/s"), T0);
    assertThat(changed.waitTime(T0.plusSeconds(1))).isEqualTo(Duration.ofSeconds(1));
    assertThat(changed.waitTime(T0.plusSeconds(2))).isZero();
  }

  @Test
  void dedupRemembersForTheWindowFromTheFirstSightingAndStaysBounded() {
    DedupWindow d = new DedupWindow(Duration.ofMinutes(2), 3);
    DedupWindow.Key k = new DedupWindow.Key("t", "fp1", AlertStatus.FIRING, T0);
    assertThat(d.seen(k, T0)).isFalse();
    d.record(k, T0);
    assertThat(d.seen(k, T0.plusSeconds(119))).isTrue();
    assertThat(d.seen(new DedupWindow.Key("t", "fp1", AlertStatus.RESOLVED, T0), T0)).isFalse();
    assertThat(d.seen(new DedupWindow.Key("u", "fp1", AlertStatus.FIRING, T0), T0)).isFalse();
    assertThat(d.seen(k, T0.plusSeconds(120))).isFalse();
    d.expire(T0.plusSeconds(120));
    assertThat(d.size()).isZero();

    for (int i = 0; i < 5; i++) {
      d.record(new DedupWindow.Key("t", "fp" + i, AlertStatus.FIRING, T0), T0);
    }
    assertThat(d.size()).isEqualTo(3);
    assertThat(d.seen(new DedupWindow.Key("t", "fp0", AlertStatus.FIRING, T0), T0)).isFalse();
    assertThat(d.seen(new DedupWindow.Key("t", "fp4", AlertStatus.FIRING, T0), T0)).isTrue();
  }

  @Test
  void priorityTakesTheMostUrgentAlertOfADelivery() {
    assertThat(Priority.of(alerts(firing("A", "critical")))).isEqualTo(Priority.CRITICAL);
    assertThat(Priority.of(alerts(firing("A", "warning")))).isEqualTo(Priority.FIRING);
    assertThat(Priority.of(alerts(firing("A", "info")))).isEqualTo(Priority.LOW);
    assertThat(Priority.of(alerts(resolved("A", "critical")))).isEqualTo(Priority.LOW);
    assertThat(Priority.of(alerts(resolved("A", "critical"), firing("B", "warning"))))
        .isEqualTo(Priority.FIRING);
  }

  @Test
  void deadLetterStorePagesNewestFirstWithStableCursorsAndEvictsTheOldest() {
    InMemoryDeadLetterStore store = new InMemoryDeadLetterStore(3);
    for (int i = 1; i <= 3; i++) {
      assertThat(store.add(letter("dl-" + i, i % 2 == 0 ? "a" : "b", T0.plusSeconds(i)))).isEmpty();
    }
    var all = DeadLetterStore.Filter.ALL;
    var page = store.list(new DeadLetterStore.Query(all, null, 0, 2));
    assertThat(page.letters()).extracting(DeadLetter::id).containsExactly("dl-3", "dl-2");
    assertThat(store.add(letter("dl-4", "a", T0.plusSeconds(4))))
        .map(DeadLetter::id)
        .hasValue("dl-1");
    assertThat(store.get("dl-1")).isEmpty();
    // a new letter does not shift the next page
    var next = store.list(new DeadLetterStore.Query(all, page.nextCursor(), 0, 2));
    assertThat(next.letters()).isEmpty();
    assertThat(next.nextCursor()).isNull();
    var onlyA = new DeadLetterStore.Filter("a", null, null);
    assertThat(store.list(new DeadLetterStore.Query(onlyA, null, 1, 10)).letters())
        .extracting(DeadLetter::id)
        .containsExactly("dl-2");
    assertThat(store.oldest(all, 2)).extracting(DeadLetter::id).containsExactly("dl-2", "dl-3");
    assertThat(store.removeOlderThan(T0.plusSeconds(4)))
        .extracting(DeadLetter::id)
        .containsExactly("dl-2", "dl-3");
    assertThat(store.remove("dl-4")).isTrue();
    assertThat(store.remove("dl-4")).isFalse();
    assertThatThrownBy(() -> store.list(new DeadLetterStore.Query(all, "-", 0, 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deadLetterExcerptsAreBounded() {
    DeadLetter d =
        new DeadLetter(
            "x",
            delivery("t"),
            DeadLetterReason.PERMANENT_FAILURE,
            FailureReason.CLIENT_ERROR,
            400,
            "HTTP 400",
            "y".repeat(5000),
            1,
            T0,
            T0);
    assertThat(d.responseExcerpt()).hasSize(DeadLetter.EXCERPT_CHARS);
  }

  @Test
  void historyKeepsTheLastAttemptsOfTheMostRecentAlerts() {
    DeliveryHistory h = new DeliveryHistory(2, 3);
    for (int i = 1; i <= 5; i++) {
      h.record(List.of("fp1"), attempt(i));
    }
    assertThat(h.of("fp1")).extracting(AttemptRecord::attempt).containsExactly(3, 4, 5);
    h.record(List.of("fp2", "fp3"), attempt(1));
    assertThat(h.of("fp1")).isEmpty();
    assertThat(h.of("fp2")).hasSize(1);
    assertThat(h.of("fp3")).hasSize(1);
  }

  @Test
  void backoffDoublesWithJitterUpToTheCapAndRetryAfterWins() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new Random(3));
    for (int attempt = 1; attempt <= 10; attempt++) {
      long ceiling = Math.min(60_000, 1000L << (attempt - 1));
      assertThat(b.delay(attempt, null).toMillis()).isBetween(ceiling / 2, ceiling);
    }
    assertThat(b.delay(1, Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
  }

  private static AttemptRecord attempt(int n) {
    return new AttemptRecord("t", "d", n, T0.toString(), 500, "retry", "serverError", 1.0, null);
  }

  private static List<Alert> alerts(String... json) {
    return notification(json).alerts();
  }

  private static Delivery delivery(String target) {
    var n = notification(firing("A", "critical"));
    return new Delivery("d", target, n, n.alerts(), T0);
  }

  private static DeadLetter letter(String id, String target, Instant at) {
    return new DeadLetter(
        id, delivery(target), DeadLetterReason.PERMANENT_FAILURE, null, 0, null, null, 1, null, at);
  }
}
