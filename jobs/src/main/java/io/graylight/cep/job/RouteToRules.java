package io.graylight.cep.job;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Behind the one keyBy of an input kind: sends each {@link RuleEvent} to its rule's side output, where
 * that rule's CEP operator reads it (chained in the same task, keyed the same way). Events behind the
 * watermark are counted ({@code lateRuleEvents}) and dropped here: the chained CEP operator has the same
 * watermark and would drop them too, and counting them here spares one exchange per rule. Stateless.
 */
public final class RouteToRules extends KeyedProcessFunction<String, RoutedRuleEvent, Void> {

    private final Map<String, OutputTag<RuleEvent>> tags;
    private transient Counter late;

    /** @param rules rule ids, in the order of {@code tags} */
    public RouteToRules(List<String> rules, List<OutputTag<RuleEvent>> tags) {
        this.tags = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            this.tags.put(rules.get(i), tags.get(i));
        }
    }

    @Override
    public void open(OpenContext openContext) {
        late = getRuntimeContext().getMetricGroup().counter("lateRuleEvents");
    }

    @Override
    public void processElement(RoutedRuleEvent routed, Context ctx, Collector<Void> out) {
        // as the CEP operator tells late events (one without a timestamp is late there too)
        long timestamp = ctx.timestamp() == null ? Long.MIN_VALUE : ctx.timestamp();
        if (timestamp <= ctx.timerService().currentWatermark()) {
            late.inc();
            return;
        }
        OutputTag<RuleEvent> tag = tags.get(routed.rule);
        if (tag != null) {
            ctx.output(tag, routed.event);
        }
    }
}
