package io.graylight.telemetry;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Passes the first event of each {@code eventId} (the key) and drops repeats (producer retries, replays of a
 * partition), counting them.
 *
 * <p>Keyed by eventId. The remembered id expires {@code ttl} of event time after the event, by an
 * event-time timer rather than Flink's processing-time state TTL: a replay that runs hours of
 * telemetry in seconds then keeps exactly as much state as live traffic does, and expiry is
 * deterministic. A repeat arriving after the expiry is no longer recognised, so choose {@code ttl}
 * above the longest producer retry.
 */
public final class DeduplicateEvents<T> extends KeyedProcessFunction<String, T, T> {

    static final ValueStateDescriptor<Boolean> SEEN = new ValueStateDescriptor<>("seen", Types.BOOLEAN);

    private final long ttlMillis;
    private transient ValueState<Boolean> seen;
    private transient Counter duplicates;

    public DeduplicateEvents(Duration ttl) {
        this.ttlMillis = ttl.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getState(SEEN);
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicates");
    }

    @Override
    public void processElement(T event, Context ctx, Collector<T> out) throws Exception {
        if (seen.value() != null) {
            duplicates.inc();
            return;
        }
        seen.update(Boolean.TRUE);
        ctx.timerService().registerEventTimeTimer(ctx.timestamp() + ttlMillis);
        out.collect(event);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<T> out) {
        seen.clear();
    }
}
