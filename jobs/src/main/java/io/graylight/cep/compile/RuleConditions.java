package io.graylight.cep.compile;

import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.graylight.cep.rules.Rule;
import io.graylight.cep.rules.RuleSchema;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A rule's CEL programs (one per step, one per named value), compiled once per task. Not
 * serializable: operators build it in {@code open()} from the {@link Rule}.
 *
 * <p>A condition that fails at run time (a param of the wrong type after a bad live update, a
 * missing map key) counts as false and is counted by the caller; it never fails the job.
 */
public final class RuleConditions {

    private final Rule rule;
    private final CelRuntime.Program filter;
    private final CelRuntime.Program[] steps;
    private final Map<String, CelRuntime.Program> values = new LinkedHashMap<>();
    private long evaluationErrors;

    public RuleConditions(Rule rule) {
        this.rule = rule;
        CelCompiler bool = RuleSchema.compiler(rule.input(), SimpleType.BOOL);
        CelCompiler number = RuleSchema.compiler(rule.input(), SimpleType.DOUBLE);
        this.steps = new CelRuntime.Program[rule.steps().size()];
        try {
            this.filter = rule.filter() == null ? null : RuleSchema.runtime().createProgram(bool.compile(rule.filter()).getAst());
            for (int i = 0; i < steps.length; i++) {
                steps[i] = RuleSchema.runtime().createProgram(bool.compile(rule.steps().get(i).condition()).getAst());
            }
            for (Map.Entry<String, String> v : rule.values().entrySet()) {
                values.put(v.getKey(), RuleSchema.runtime().createProgram(number.compile(v.getValue()).getAst()));
            }
        } catch (Exception e) {
            // The parser compiled the same expressions; reaching this is a bug, not a user mistake.
            throw new IllegalStateException("rule " + rule.id() + " passed validation but does not compile: " + e.getMessage(), e);
        }
    }

    public Rule rule() {
        return rule;
    }

    /** Whether the rule sees the event at all (its {@code filter}); an error counts as false. */
    public boolean accepts(Map<String, Object> vars) {
        if (filter == null) {
            return true;
        }
        try {
            return Boolean.TRUE.equals(filter.eval(vars));
        } catch (CelEvaluationException | RuntimeException e) {
            evaluationErrors++;
            return false;
        }
    }

    /** Bit i set when step i's condition holds for {@code vars} (which must hold {@code params}). */
    public long evaluate(Map<String, Object> vars) {
        long mask = 0;
        for (int i = 0; i < steps.length; i++) {
            try {
                if (Boolean.TRUE.equals(steps[i].eval(vars))) {
                    mask |= 1L << i;
                }
            } catch (CelEvaluationException | RuntimeException e) {
                evaluationErrors++;
            }
        }
        return mask;
    }

    /** The named values on {@code vars}; a value that cannot be computed is left out. */
    public Map<String, Double> values(Map<String, Object> vars) {
        if (values.isEmpty()) {
            return null;
        }
        Map<String, Double> out = new HashMap<>(values.size() * 2);
        for (Map.Entry<String, CelRuntime.Program> v : values.entrySet()) {
            try {
                Object result = v.getValue().eval(vars);
                if (result instanceof Number n) {
                    out.put(v.getKey(), n.doubleValue());
                }
            } catch (CelEvaluationException | RuntimeException e) {
                evaluationErrors++;
            }
        }
        return out;
    }

    /** Evaluation errors since the last call (for a metrics counter). */
    public long drainErrors() {
        long n = evaluationErrors;
        evaluationErrors = 0;
        return n;
    }
}
