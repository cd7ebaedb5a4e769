package io.alerthistory.refresh;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.util.Locale;

/**
 * What {@code GET /api/v2/publishing/targets/status} reports (DESIGN §4). Counts describe the
 * snapshot being served. Nulls are written, so the answer always has the same keys; instants are
 * written as ISO-8601 text whatever the mapper's date settings.
 *
 * @param status the state of the refresh loop
 * @param lastRefresh when the last refresh attempt finished, successful or not; null before any
 * @param nextRefresh when the next scheduled refresh (periodic or retry) is due; null when none
 * @param refreshDurationMs how long the last attempt took
 * @param targetsDiscovered entries in the current snapshot, valid and invalid
 * @param consecutiveFailures failed attempts since the last success
 * @param error the reason of the last attempt when it failed, else null; never a secret value
 * @param source the source's name, {@code directory} or {@code kubernetes}
 * @param watching whether the source's watch is delivering changes right now
 * @param lastChangeAt when a watched change was last applied; null before any
 * @param snapshotAgeSeconds age of the snapshot being served, or -1 before the first load
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RefreshStatus(
    Phase status,
    @JsonProperty("last_refresh") @JsonSerialize(using = ToStringSerializer.class)
        Instant lastRefresh,
    @JsonProperty("next_refresh") @JsonSerialize(using = ToStringSerializer.class)
        Instant nextRefresh,
    @JsonProperty("refresh_duration_ms") long refreshDurationMs,
    @JsonProperty("targets_discovered") int targetsDiscovered,
    @JsonProperty("targets_valid") int targetsValid,
    @JsonProperty("targets_invalid") int targetsInvalid,
    @JsonProperty("consecutive_failures") int consecutiveFailures,
    String error,
    String source,
    boolean watching,
    @JsonProperty("last_change_at") @JsonSerialize(using = ToStringSerializer.class)
        Instant lastChangeAt,
    @JsonProperty("snapshot_age_seconds") long snapshotAgeSeconds) {

  /** The state of the refresh loop: before any refresh, running, or how the last one ended. */
  public enum Phase {
    IDLE,
    IN_PROGRESS,
    SUCCESS,
    FAILED;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    @JsonValue
    public String wireName() {
      return wireName;
    }
  }
}
