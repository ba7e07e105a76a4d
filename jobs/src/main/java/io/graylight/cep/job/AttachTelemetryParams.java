package io.graylight.cep.job;

import io.graylight.cep.rules.Rule;
import io.graylight.cep.rules.RuleSchema;
import io.graylight.contracts.telemetry.TelemetryEvent;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@link AttachParams} for telemetry rules: one RuleEvent per telemetry event and rule. */
public final class AttachTelemetryParams extends AttachParams<TelemetryEvent> {

    public AttachTelemetryParams(List<Rule> rules) {
        super(rules);
    }

    @Override
    protected Map<String, Object> vars(TelemetryEvent event) {
        return RuleSchema.telemetryVars(event);
    }

    @Override
    protected RuleEvent describe(TelemetryEvent event, Rule rule, long timestamp) {
        String cohort = cohort(event);
        return new RuleEvent(key(rule, event.release(), cohort, event.version()), event.release(), cohort,
                event.eventId(), event.timestampMillis(), 0L, null);
    }

    @Override
    protected String release(TelemetryEvent event) {
        return event.release();
    }

    @Override
    protected String cohort(TelemetryEvent event) {
        return event.cohort() == null ? null : event.cohort().name().toLowerCase(Locale.ROOT);
    }
}
