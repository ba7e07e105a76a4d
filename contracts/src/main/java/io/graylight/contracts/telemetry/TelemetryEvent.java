package io.graylight.contracts.telemetry;

import java.time.Instant;
import java.util.Map;

/**
 * One telemetry event of the contract in DESIGN.md: a request served by one cohort of a release,
 * or a user's feedback on such a request.
 *
 * <p>Optional fields are null when absent. {@code segment} is never null (empty when absent) and is
 * a mutable {@link java.util.HashMap} so that Flink's generic serializer can copy it. Build events
 * with {@link #request} and {@link #feedback}; {@link TelemetryCodec} reads and writes the JSON.
 */
public record TelemetryEvent(
        EventType type,
        String eventId,
        Instant timestamp,
        String release,
        Cohort cohort,
        String version,
        String userId,
        Map<String, String> segment,
        // request fields
        RequestStatus status,
        Double latencyMs,
        Double ttftMs,
        Long inputTokens,
        Long outputTokens,
        Double costUsd,
        Double qualityScore,
        // feedback fields
        String requestId,
        Integer score) {

    public boolean isRequest() {
        return type == EventType.REQUEST;
    }

    public boolean isFeedback() {
        return type == EventType.FEEDBACK;
    }

    public long timestampMillis() {
        return timestamp.toEpochMilli();
    }

    /** A request event with every optional request field given (pass null to leave one out). */
    public static TelemetryEvent request(
            String eventId,
            Instant timestamp,
            String release,
            Cohort cohort,
            String version,
            String userId,
            Map<String, String> segment,
            RequestStatus status,
            double latencyMs,
            Double ttftMs,
            Long inputTokens,
            Long outputTokens,
            Double costUsd,
            Double qualityScore) {
        return new TelemetryEvent(
                EventType.REQUEST, eventId, timestamp, release, cohort, version, userId,
                mutableCopy(segment), status, latencyMs, ttftMs, inputTokens, outputTokens,
                costUsd, qualityScore, null, null);
    }

    /** A thumbs-up ({@code score = 1}) or thumbs-down ({@code score = -1}) on request {@code requestId}. */
    public static TelemetryEvent feedback(
            String eventId,
            Instant timestamp,
            String release,
            Cohort cohort,
            String version,
            String userId,
            Map<String, String> segment,
            String requestId,
            int score) {
        return new TelemetryEvent(
                EventType.FEEDBACK, eventId, timestamp, release, cohort, version, userId,
                mutableCopy(segment), null, null, null, null, null, null, null, requestId, score);
    }

    static Map<String, String> mutableCopy(Map<String, String> segment) {
        return segment == null ? new java.util.HashMap<>() : new java.util.HashMap<>(segment);
    }
}
