package io.graylight.simulator;

import io.graylight.contracts.telemetry.TelemetryEvent;
import java.nio.charset.StandardCharsets;

/**
 * One record of simulated telemetry as a producer would send it.
 *
 * @param bytes the raw record: the codec's JSON, or broken bytes when {@code malformed}; never a line break;
 *     null for a valid record of a simulator that runs {@link TrafficSimulator#eventsOnly()}
 * @param event what the bytes say, or null when {@code malformed}
 * @param eventTimeMillis the event time; a duplicate keeps its original's, so it arrives late
 * @param duplicate a re-send of an earlier record (same bytes, same eventId)
 * @param malformed an extra broken record that every consumer must reject
 *
 * <p>As with any record holding an array, {@code equals} compares the bytes by identity; compare
 * {@link #bytes()} with {@code Arrays.equals}.
 */
public record SimulatedRecord(byte[] bytes, TelemetryEvent event, long eventTimeMillis, boolean duplicate, boolean malformed) {

    public boolean isValid() {
        return !malformed;
    }

    /** The bytes as text, for logs and tests. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The Kafka key: the userId, so one user's events stay in order on one partition; null when malformed. */
    public byte[] key() {
        return event == null ? null : event.userId().getBytes(StandardCharsets.UTF_8);
    }
}
