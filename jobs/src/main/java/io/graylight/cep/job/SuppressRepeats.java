package io.graylight.cep.job;

import io.graylight.contracts.alert.Alert;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by rule, release and scope: passes an alert, then suppresses that rule's further alerts
 * for the same release and scope until its cooldown of event time has passed, counting them
 * ({@code alertsSuppressed}). An event-time timer at the end of the cooldown clears the state.
 */
public final class SuppressRepeats extends KeyedProcessFunction<String, Alert, Alert> {

    static final ValueStateDescriptor<Long> QUIET_UNTIL = new ValueStateDescriptor<>("quiet-until", Types.LONG);

    private final Map<String, Duration> cooldowns;
    private transient ValueState<Long> quietUntil;
    private transient Counter suppressed;

    /** @param cooldowns per rule id; a rule without one (or with 0) is never suppressed */
    public SuppressRepeats(Map<String, Duration> cooldowns) {
        this.cooldowns = Map.copyOf(cooldowns);
    }

    public static String key(Alert alert) {
        return alert.rule() + "|" + alert.release() + "|" + alert.scope();
    }

    @Override
    public void open(OpenContext openContext) {
        quietUntil = getRuntimeContext().getState(QUIET_UNTIL);
        suppressed = getRuntimeContext().getMetricGroup().counter("alertsSuppressed");
    }

    @Override
    public void processElement(Alert alert, Context ctx, Collector<Alert> out) throws Exception {
        long time = alert.eventTime().toEpochMilli();
        Long until = quietUntil.value();
        if (until != null && time < until) {
            suppressed.inc();
            return;
        }
        out.collect(alert);
        Duration cooldown = cooldowns.getOrDefault(alert.rule(), Duration.ZERO);
        if (!cooldown.isZero()) {
            long end = time + cooldown.toMillis();
            if (until != null) {
                ctx.timerService().deleteEventTimeTimer(until);
            }
            quietUntil.update(end);
            ctx.timerService().registerEventTimeTimer(end);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        Long until = quietUntil.value();
        if (until != null && until <= timestamp) {
            quietUntil.clear();
        }
    }
}
