package io.graylight.telemetry;

import io.graylight.contracts.telemetry.DeadLetter;
import io.graylight.contracts.telemetry.Decoded;
import io.graylight.contracts.telemetry.TelemetryCodec;
import io.graylight.contracts.telemetry.ValidationProblem;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * Turns raw telemetry bytes into a {@link TelemetryRecord}, never throwing: whatever is wrong with a
 * record ends up in its dead letter, with where it came from.
 *
 * <p>Besides the contract's rules it refuses events dated further in the future than
 * {@code maxFutureSkew} past the time the source received them: a single producer with a broken
 * clock would otherwise drag the watermark ahead and make everyone else's events late.
 */
public final class TelemetryParser implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long maxFutureSkewMillis;
    private transient TelemetryCodec codec;

    /** @param maxFutureSkew zero or negative disables the check (replays of recorded files). */
    public TelemetryParser(Duration maxFutureSkew) {
        this.maxFutureSkewMillis = maxFutureSkew.toMillis();
    }

    /**
     * @param raw the record's bytes
     * @param origin topic-partition or file the record came from
     * @param offset Kafka offset or line number
     * @param receivedAt the source's timestamp for the record (Kafka record time, or now)
     */
    public TelemetryRecord parse(byte[] raw, String origin, long offset, Instant receivedAt) {
        Decoded decoded = codec().decode(raw);
        if (!decoded.isValid()) {
            return TelemetryRecord.deadLetter(DeadLetter.of(decoded.problem(), raw, origin, offset, receivedAt, receivedAt));
        }
        Instant eventTime = decoded.event().timestamp();
        if (maxFutureSkewMillis > 0 && eventTime.toEpochMilli() - receivedAt.toEpochMilli() > maxFutureSkewMillis) {
            ValidationProblem problem = new ValidationProblem("timestamp", '"' + eventTime.toString() + '"',
                    "is more than " + Duration.ofMillis(maxFutureSkewMillis) + " after the record was received (" + receivedAt + ")");
            return TelemetryRecord.deadLetter(DeadLetter.of(problem, raw, origin, offset, receivedAt, receivedAt));
        }
        return TelemetryRecord.valid(decoded.event());
    }

    private TelemetryCodec codec() {
        if (codec == null) {
            codec = new TelemetryCodec();
        }
        return codec;
    }
}
