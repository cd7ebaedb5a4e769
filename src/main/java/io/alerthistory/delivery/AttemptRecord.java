package io.alerthistory.delivery;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One attempt of a delivery as the history shows it.
 *
 * @param at when the attempt started (RFC 3339)
 * @param statusCode HTTP status of the answer, or null when none came
 * @param outcome {@code delivered}, {@code retry}, {@code dead_lettered} or {@code abandoned}
 * @param reason the failure reason ({@code serverError}, ...), or null when delivered
 * @param responseExcerpt bounded, scrubbed start of the answer, or the error; may be null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AttemptRecord(
    String target,
    @JsonProperty("delivery_id") String deliveryId,
    int attempt,
    String at,
    @JsonProperty("status_code") Integer statusCode,
    String outcome,
    String reason,
    @JsonProperty("latency_ms") double latencyMs,
    @JsonProperty("response_excerpt") String responseExcerpt) {}
