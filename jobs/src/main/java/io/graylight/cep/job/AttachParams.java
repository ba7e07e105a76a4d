package io.graylight.cep.job;

import io.graylight.cep.compile.RuleConditions;
import io.graylight.cep.rules.Rule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the live rule parameters (broadcast) onto the events upstream of the CEP operators: for
 * each event and each rule of its input kind that applies to it, evaluates the rule's steps with
 * the parameters in force now and emits a {@link RuleEvent} for that rule (as a {@link RoutedRuleEvent}: one stream for all
 * rules, keyed once downstream).
 *
 * <p>An event that matches no step is sent only to rules with strict contiguity (next, notNext,
 * consecutive), where it breaks a sequence; for relaxed contiguity it could not change a match.
 * The broadcast state holds each rule's current parameters (file values overlaid with the accepted
 * updates), so they survive failures and savepoints.
 */
public abstract class AttachParams<IN> extends BroadcastProcessFunction<IN, ParamsUpdate, RoutedRuleEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(AttachParams.class);

    /** Current params per rule id; only rules whose params were updated live have an entry. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static final MapStateDescriptor<String, Map<String, Object>> PARAMS = new MapStateDescriptor<>(
            "rule-params", Types.STRING, (org.apache.flink.api.common.typeinfo.TypeInformation) Types.MAP(Types.STRING, Types.GENERIC(Object.class)));

    /**
     * The file's params each live update was applied to: after a resubmit with an edited rule file
     * (different params there), the file wins over the older live update.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static final MapStateDescriptor<String, Map<String, Object>> PARAMS_BASE = new MapStateDescriptor<>(
            "rule-params-base", Types.STRING, (org.apache.flink.api.common.typeinfo.TypeInformation) Types.MAP(Types.STRING, Types.GENERIC(Object.class)));

    protected final List<Rule> rules;

    private transient List<RuleConditions> conditions;
    private transient Map<String, Map<String, Object>> current;
    private transient boolean restored;
    private transient Counter refused;
    private transient Counter applied;
    private transient Counter evaluationErrors;

    protected AttachParams(List<Rule> rules) {
        this.rules = rules;
    }

    @Override
    public void open(OpenContext openContext) {
        conditions = new ArrayList<>();
        current = new HashMap<>();
        for (Rule rule : rules) {
            conditions.add(new RuleConditions(rule));
            current.put(rule.id(), rule.params());
        }
        refused = getRuntimeContext().getMetricGroup().counter("paramUpdatesRefused");
        applied = getRuntimeContext().getMetricGroup().counter("paramUpdatesApplied");
        evaluationErrors = getRuntimeContext().getMetricGroup().counter("conditionErrors");
    }

    /** Live params from the broadcast state (after a restore), unless the rule file changed them since. */
    private void restore(ReadOnlyBroadcastState<String, Map<String, Object>> params,
            ReadOnlyBroadcastState<String, Map<String, Object>> bases) throws Exception {
        for (Rule rule : rules) {
            Map<String, Object> live = params.get(rule.id());
            if (live != null && rule.params().equals(bases.get(rule.id()))) {
                current.put(rule.id(), live);
            }
        }
        restored = true;
    }

    /** The CEL activation of an event, without params; null to skip the event. */
    protected abstract Map<String, Object> vars(IN event);

    /** The RuleEvent of {@code event} for {@code rule} (key, ids, time), without matches or values. */
    protected abstract RuleEvent describe(IN event, Rule rule, long timestamp);

    /** The release and cohort (null for both) the event is about, for the rules' scope. */
    protected abstract String release(IN event);

    protected abstract String cohort(IN event);

    @Override
    public void processElement(IN event, ReadOnlyContext ctx, Collector<RoutedRuleEvent> out) throws Exception {
        if (!restored) {
            restore(ctx.getBroadcastState(PARAMS), ctx.getBroadcastState(PARAMS_BASE));
        }
        Map<String, Object> vars = vars(event);
        if (vars == null) {
            return;
        }
        String release = release(event);
        String cohort = cohort(event);
        long timestamp = ctx.timestamp() == null ? 0L : ctx.timestamp();
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            if (!rule.appliesTo(release, cohort)) {
                continue;
            }
            RuleConditions c = conditions.get(i);
            vars.put("params", current.get(rule.id()));
            long mask = c.accepts(vars) ? c.evaluate(vars) : -1L;
            long errors = c.drainErrors();
            if (errors > 0) {
                evaluationErrors.inc(errors);
            }
            if (mask == -1L || (mask == 0 && !rule.needsNonMatchingEvents())) {
                continue;
            }
            RuleEvent e = describe(event, rule, timestamp);
            e.matches = mask;
            e.values = mask == 0 ? null : withParams(c.values(vars), current.get(rule.id()));
            out.collect(new RoutedRuleEvent(rule.id(), e));
        }
    }

    @Override
    public void processBroadcastElement(ParamsUpdate update, Context ctx, Collector<RoutedRuleEvent> out) throws Exception {
        if (!restored) {
            restore(ctx.getBroadcastState(PARAMS), ctx.getBroadcastState(PARAMS_BASE));
        }
        Rule rule = rules.stream().filter(r -> r.id().equals(update.rule())).findFirst().orElse(null);
        if (rule == null) {
            return; // a rule of the other input kind, or not loaded in this job: the other operator takes it
        }
        Either<String, Map<String, Object>> merged = merge(rule, current.get(rule.id()), update);
        if (merged.isLeft()) {
            refused.inc();
            LOG.warn("Refused params update for rule {}: {}", rule.id(), merged.left());
            return;
        }
        BroadcastState<String, Map<String, Object>> state = ctx.getBroadcastState(PARAMS);
        state.put(rule.id(), merged.right());
        ctx.getBroadcastState(PARAMS_BASE).put(rule.id(), rule.params());
        current.put(rule.id(), merged.right());
        applied.inc();
        LOG.info("Rule {} params now {}", rule.id(), merged.right());
    }

    /** The rule's params with the update applied, or why the update is refused. */
    public static Either<String, Map<String, Object>> merge(Rule rule, Map<String, Object> now, ParamsUpdate update) {
        if (update.params() == null || update.params().isEmpty()) {
            return Either.Left("no params given");
        }
        Map<String, Object> merged = new LinkedHashMap<>(now);
        for (Map.Entry<String, Object> p : update.params().entrySet()) {
            Object declared = rule.params().get(p.getKey());
            Object value = p.getValue();
            if (declared == null) {
                return Either.Left("unknown param '" + p.getKey() + "' (declared: " + rule.params().keySet() + ")");
            }
            if (declared instanceof Double) {
                if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                    return Either.Left("param '" + p.getKey() + "' must be a number, got " + value);
                }
                value = n.doubleValue();
            } else if (declared instanceof Boolean && !(value instanceof Boolean)) {
                return Either.Left("param '" + p.getKey() + "' must be true or false, got " + value);
            } else if (declared instanceof String && !(value instanceof String)) {
                return Either.Left("param '" + p.getKey() + "' must be a text, got " + value);
            }
            merged.put(p.getKey(), value);
        }
        return Either.Right(merged);
    }

    /** The rule's values plus its numeric params in force ({@code params.NAME}), so an alert shows the thresholds it met. */
    static Map<String, Double> withParams(Map<String, Double> values, Map<String, Object> params) {
        Map<String, Double> out = values == null ? new HashMap<>() : values;
        for (Map.Entry<String, Object> p : params.entrySet()) {
            if (p.getValue() instanceof Double d) {
                out.put("params." + p.getKey(), d);
            }
        }
        return out.isEmpty() ? null : out;
    }

    /** The key of a RuleEvent: release, then the rule's other key fields. */
    static String key(Rule rule, String release, String cohort, String version) {
        if (rule.key().size() == 1) {
            return release;
        }
        StringBuilder key = new StringBuilder(release);
        for (int i = 1; i < rule.key().size(); i++) {
            key.append('/').append(switch (rule.key().get(i)) {
                case "cohort" -> cohort;
                case "version" -> version == null ? "" : version;
                default -> "";
            });
        }
        return key.toString();
    }
}
