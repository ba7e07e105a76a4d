package io.graylight.simulator;

import io.graylight.contracts.telemetry.Cohort;
import io.graylight.contracts.telemetry.TelemetryEvent;
import java.time.Duration;
import java.time.Instant;

/** Counts what a run emitted, for the one-line report at its end. */
public final class SimulationSummary {

    private long records;
    private long valid;
    private long duplicates;
    private long malformed;
    private long requests;
    private long feedback;
    private long baseline;
    private long canary;
    private long minEventTime = Long.MAX_VALUE;
    private long maxEventTime = Long.MIN_VALUE;

    public void add(SimulatedRecord record) {
        records++;
        if (record.malformed()) {
            malformed++;
            return;
        }
        if (record.duplicate()) {
            duplicates++;
            return;
        }
        valid++;
        TelemetryEvent event = record.event();
        if (event.isRequest()) {
            requests++;
        } else {
            feedback++;
        }
        if (event.cohort() == Cohort.CANARY) {
            canary++;
        } else {
            baseline++;
        }
        minEventTime = Math.min(minEventTime, record.eventTimeMillis());
        maxEventTime = Math.max(maxEventTime, record.eventTimeMillis());
    }

    public long records() {
        return records;
    }

    /** Valid records, duplicates not counted. */
    public long valid() {
        return valid;
    }

    public long duplicates() {
        return duplicates;
    }

    public long malformed() {
        return malformed;
    }

    public long requests() {
        return requests;
    }

    public long feedback() {
        return feedback;
    }

    /** Valid events (requests and feedback) of the baseline cohort. */
    public long baseline() {
        return baseline;
    }

    public long canary() {
        return canary;
    }

    /** E.g. {@code 10403 records: 10281 valid (9520 requests, 761 feedback; baseline 8712, canary 1569), 61 duplicates, 61 malformed; event time 2026-12-01T10:00:00Z .. 2026-12-01T10:59:59.820Z (59m59s820ms)}. */
    public String line() {
        String span = valid == 0 ? "none"
                : Instant.ofEpochMilli(minEventTime) + " .. " + Instant.ofEpochMilli(maxEventTime)
                        + " (" + Durations.format(Duration.ofMillis(maxEventTime - minEventTime)) + ")";
        return records + " records: " + valid + " valid (" + requests + " requests, " + feedback + " feedback; baseline "
                + baseline + ", canary " + canary + "), " + duplicates + " duplicates, " + malformed + " malformed; event time " + span;
    }

    @Override
    public String toString() {
        return line();
    }
}
