package io.alerthistory.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;

/**
 * What the API reports about one target's health.
 *
 * @param since when the status last changed
 * @param lastCheck when the last active probe ended; null before any
 * @param lastActivity the last probe or delivery outcome; null before any
 * @param lastError the last failure's reason, scrubbed of secrets; null before any failure
 * @param latencyMs latency of the last probe or delivery attempt; null before any
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TargetHealth(
    String name,
    String type,
    HealthStatus status,
    @JsonSerialize(using = ToStringSerializer.class) Instant since,
    @JsonProperty("last_check") @JsonSerialize(using = ToStringSerializer.class) Instant lastCheck,
    @JsonProperty("last_activity") @JsonSerialize(using = ToStringSerializer.class)
        Instant lastActivity,
    @JsonProperty("last_error") String lastError,
    @JsonProperty("consecutive_failures") int consecutiveFailures,
    @JsonProperty("latency_ms") Double latencyMs) {}
