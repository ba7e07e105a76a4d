package io.graylight.telemetry;

import io.graylight.contracts.telemetry.DeadLetter;
import io.graylight.contracts.telemetry.TelemetryEvent;

/**
 * What a telemetry source emits: a valid event, or the dead letter explaining why a record was
 * refused. Parsing happens in the source so that watermarks can be assigned there.
 */
public record TelemetryRecord(TelemetryEvent event, DeadLetter deadLetter) {

    public static TelemetryRecord valid(TelemetryEvent event) {
        return new TelemetryRecord(event, null);
    }

    public static TelemetryRecord deadLetter(DeadLetter deadLetter) {
        return new TelemetryRecord(null, deadLetter);
    }

    public boolean isValid() {
        return event != null;
    }

    /** Event time for watermarking; refused records do not move the watermark. */
    public long eventTimeMillis() {
        return event != null ? event.timestampMillis() : Long.MIN_VALUE;
    }
}
