package io.graylight.telemetry;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness, but emitted by the data rather than by a processing-time timer.
 *
 * <p>Flink's periodic generator emits every 200 ms of wall-clock time, so when a file is replayed
 * at full speed, whether an out-of-bound event counts as late depends on how fast the machine
 * is. Here the watermark moves only when an event moves it, by at least {@code step}, so the same
 * input always gives the same windows and the same late events; {@code step} keeps the number of
 * watermarks (each one crosses every shuffle) small.
 */
public final class DataDrivenWatermarks<T> implements WatermarkGenerator<T> {

    private final long outOfOrdernessMillis;
    private final long stepMillis;
    private long maxTimestamp = Long.MIN_VALUE;
    private long emitted = Long.MIN_VALUE;

    public DataDrivenWatermarks(Duration outOfOrderness, Duration step) {
        this.outOfOrdernessMillis = outOfOrderness.toMillis();
        this.stepMillis = Math.max(1, step.toMillis());
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        if (eventTimestamp <= maxTimestamp) {
            return;
        }
        maxTimestamp = eventTimestamp;
        long candidate = maxTimestamp - outOfOrdernessMillis - 1;
        if (emitted == Long.MIN_VALUE || candidate - emitted >= stepMillis) {
            emitted = candidate;
            output.emitWatermark(new Watermark(candidate));
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        // Deliberately nothing: see the class comment. Idleness is handled by withIdleness().
    }
}
