package io.alerthistory.delivery;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.alerthistory.alert.Alert;
import io.alerthistory.attempt.FailureReason;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A delivery given up on, kept with what is known of its last failure so it can be understood and
 * replayed.
 *
 * @param lastFailure the failure of the last attempt, or null when none was made or it succeeded
 * @param lastStatus HTTP status of the last answer, or 0 when none came
 * @param lastError what went wrong last, scrubbed of the target's secrets; may be null
 * @param responseExcerpt bounded, scrubbed start of the last answer's body; may be null
 * @param lastAttemptAt when the last attempt was made, or null when none was
 */
public record DeadLetter(
    String id,
    Delivery delivery,
    DeadLetterReason reason,
    FailureReason lastFailure,
    int lastStatus,
    String lastError,
    String responseExcerpt,
    int attempts,
    Instant lastAttemptAt,
    Instant deadLetteredAt) {

  /** Longest excerpt kept, in characters. */
  public static final int EXCERPT_CHARS = 512;

  public DeadLetter {
    responseExcerpt = bound(responseExcerpt);
    lastError = bound(lastError);
  }

  private static String bound(String s) {
    return s == null || s.length() <= EXCERPT_CHARS ? s : s.substring(0, EXCERPT_CHARS);
  }

  public String target() {
    return delivery.target();
  }

  public View view() {
    return new View(
        id,
        delivery.target(),
        delivery.id(),
        reason.wireName(),
        lastFailure == null ? null : lastFailure.label(),
        lastStatus == 0 ? null : lastStatus,
        lastError,
        responseExcerpt,
        attempts,
        delivery.receivedAt().toString(),
        lastAttemptAt == null ? null : lastAttemptAt.toString(),
        deadLetteredAt.toString(),
        delivery.notification().groupKey(),
        delivery.alerts().stream().map(AlertView::of).toList());
  }

  /** The API form of a dead letter. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record View(
      String id,
      String target,
      @JsonProperty("delivery_id") String deliveryId,
      String reason,
      @JsonProperty("last_failure") String lastFailure,
      @JsonProperty("last_status") Integer lastStatus,
      @JsonProperty("last_error") String lastError,
      @JsonProperty("response_excerpt") String responseExcerpt,
      int attempts,
      @JsonProperty("received_at") String receivedAt,
      @JsonProperty("last_attempt_at") String lastAttemptAt,
      @JsonProperty("dead_lettered_at") String deadLetteredAt,
      @JsonProperty("group_key") String groupKey,
      List<AlertView> alerts) {}

  /** An alert of a dead letter's payload. */
  public record AlertView(
      String fingerprint,
      String status,
      String alertname,
      Map<String, String> labels,
      @JsonProperty("starts_at") String startsAt) {
    static AlertView of(Alert a) {
      return new AlertView(
          a.fingerprint(),
          a.status().wireName(),
          a.alertname(),
          new java.util.TreeMap<>(a.labels()),
          a.startsAt());
    }
  }
}
