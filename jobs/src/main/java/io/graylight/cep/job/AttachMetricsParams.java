package io.graylight.cep.job;

import io.graylight.cep.rules.Rule;
import io.graylight.cep.rules.RuleSchema;
import java.util.List;
import java.util.Map;

/** {@link AttachParams} for metrics rules: one RuleEvent per canary-vs-baseline window pair and rule. */
public final class AttachMetricsParams extends AttachParams<WindowPair> {

    public AttachMetricsParams(List<Rule> rules) {
        super(rules);
    }

    @Override
    protected Map<String, Object> vars(WindowPair pair) {
        return RuleSchema.metricsVars(pair.release(), pair.windowEnd() - pair.windowStart(), pair.canary(), pair.baseline());
    }

    @Override
    protected RuleEvent describe(WindowPair pair, Rule rule, long timestamp) {
        return new RuleEvent(pair.release(), pair.release(), null, pair.id(), pair.windowEnd() - 1, 0L, null);
    }

    @Override
    protected String release(WindowPair pair) {
        return pair.release();
    }

    @Override
    protected String cohort(WindowPair pair) {
        return null;
    }
}
