package io.graylight.cep.job;

import io.graylight.contracts.metrics.CohortMetrics;
import io.graylight.types.JsonTypeInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Pairs the canary's and the baseline's metrics of the same window of a release (the key) into
 * one {@link WindowPair}: at once when both arrived, or when the watermark passes the window's
 * end with one side missing, so a silent cohort still yields a pair (with that side null). State
 * per release: the windows waiting for their other side; each is removed when emitted.
 */
public final class PairWindows extends KeyedProcessFunction<String, CohortMetrics, WindowPair> {

    static final MapStateDescriptor<Long, WindowPair> PENDING =
            new MapStateDescriptor<>("pending-windows", Types.LONG, JsonTypeInfo.of(WindowPair.class));

    private transient MapState<Long, WindowPair> pending;

    @Override
    public void open(OpenContext openContext) {
        pending = getRuntimeContext().getMapState(PENDING);
    }

    @Override
    public void processElement(CohortMetrics m, Context ctx, Collector<WindowPair> out) throws Exception {
        long end = m.windowEnd().toEpochMilli();
        WindowPair pair = pending.get(end);
        if (pair == null) {
            pair = new WindowPair(m.release(), m.windowStart().toEpochMilli(), end, null, null);
        }
        pair = "canary".equals(m.cohort())
                ? new WindowPair(pair.release(), pair.windowStart(), end, m, pair.baseline())
                : new WindowPair(pair.release(), pair.windowStart(), end, pair.canary(), m);
        if (pair.canary() != null && pair.baseline() != null) {
            pending.remove(end);
            out.collect(pair);
        } else {
            pending.put(end, pair);
            ctx.timerService().registerEventTimeTimer(end - 1);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<WindowPair> out) throws Exception {
        WindowPair pair = pending.get(timestamp + 1);
        if (pair != null) {
            pending.remove(timestamp + 1);
            out.collect(pair);
        }
    }
}
