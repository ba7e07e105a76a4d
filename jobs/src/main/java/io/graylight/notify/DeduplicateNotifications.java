package io.graylight.notify;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Passes the first notification of each key (alert id, or release and seq) and drops repeats within
 * the window, counting them ({@code duplicateNotifications}). Keyed by {@link Notification#key()}.
 * The window is wall-clock time, because it is about people being paged twice; a processing-time
 * timer clears the key when it ends. Kept in checkpointed state, so a restart does not forget what
 * was sent before the last checkpoint.
 */
public final class DeduplicateNotifications extends KeyedProcessFunction<String, Notification, Notification> {

    static final ValueStateDescriptor<Long> SENT_UNTIL = new ValueStateDescriptor<>("sent-until", Types.LONG);

    private final long windowMillis;
    private transient ValueState<Long> sentUntil;
    private transient Counter duplicates;

    public DeduplicateNotifications(Duration window) {
        this.windowMillis = window.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        sentUntil = getRuntimeContext().getState(SENT_UNTIL);
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicateNotifications");
    }

    @Override
    public void processElement(Notification notification, Context ctx, Collector<Notification> out) throws Exception {
        if (sentUntil.value() != null) {
            duplicates.inc();
            return;
        }
        long until = ctx.timerService().currentProcessingTime() + windowMillis;
        sentUntil.update(until);
        ctx.timerService().registerProcessingTimeTimer(until);
        out.collect(notification);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Notification> out) {
        sentUntil.clear();
    }
}
