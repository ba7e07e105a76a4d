package io.graylight.metrics;

import io.graylight.contracts.telemetry.TelemetryEvent;

/**
 * The part of a telemetry event that window metrics need, as a flat Flink POJO of primitives and
 * strings: it crosses two network shuffles per event, and a full event (with its segment map, which
 * Flink can only serialize with Kryo) costs several times more to move. Absent optional values are
 * NaN or -1.
 */
public final class MetricSample {

    /** {@link #status} of a feedback event; request statuses are {@code RequestStatus.ordinal()}. */
    public static final byte FEEDBACK = -1;

    public String eventId;
    public String release;
    public String cohort;
    public long timestamp;
    public byte status;
    public double latencyMs;
    public double ttftMs;
    public long inputTokens;
    public long outputTokens;
    public double costUsd;
    public double qualityScore;
    public int score;

    public MetricSample() {}

    public static MetricSample of(TelemetryEvent event) {
        MetricSample s = new MetricSample();
        s.eventId = event.eventId();
        s.release = event.release();
        s.cohort = event.cohort().wireName();
        s.timestamp = event.timestampMillis();
        if (event.isFeedback()) {
            s.status = FEEDBACK;
            s.score = event.score();
            s.latencyMs = s.ttftMs = s.costUsd = s.qualityScore = Double.NaN;
            s.inputTokens = s.outputTokens = -1;
            return s;
        }
        s.status = (byte) event.status().ordinal();
        s.latencyMs = event.latencyMs();
        s.ttftMs = orNaN(event.ttftMs());
        s.inputTokens = event.inputTokens() == null ? -1 : event.inputTokens();
        s.outputTokens = event.outputTokens() == null ? -1 : event.outputTokens();
        s.costUsd = orNaN(event.costUsd());
        s.qualityScore = orNaN(event.qualityScore());
        return s;
    }

    public boolean isFeedback() {
        return status == FEEDBACK;
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }
}
