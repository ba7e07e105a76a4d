package io.graylight.telemetry;

import io.graylight.contracts.telemetry.DeadLetter;
import io.graylight.contracts.telemetry.TelemetryEvent;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Valid events go on; refused records go to the {@link #DEAD_LETTERS} side output and are counted. */
public final class SplitInvalidRecords extends ProcessFunction<TelemetryRecord, TelemetryEvent> {

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private transient Counter deadLetters;

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(TelemetryRecord record, Context ctx, Collector<TelemetryEvent> out) {
        if (record.isValid()) {
            out.collect(record.event());
        } else {
            deadLetters.inc();
            ctx.output(DEAD_LETTERS, record.deadLetter());
        }
    }
}
