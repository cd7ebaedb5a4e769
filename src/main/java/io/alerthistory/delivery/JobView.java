package io.alerthistory.delivery;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A delivery a lane holds, as the jobs API shows it.
 *
 * @param queuedAt when it was accepted or replayed
 * @param nextAttemptAt when a retrying delivery is re-queued
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(
    String id,
    String target,
    String state,
    String priority,
    int attempts,
    @JsonProperty("received_at") String receivedAt,
    @JsonProperty("queued_at") String queuedAt,
    @JsonProperty("next_attempt_at") String nextAttemptAt,
    @JsonProperty("last_failure") String lastFailure,
    @JsonProperty("last_status") Integer lastStatus,
    List<String> fingerprints) {}
