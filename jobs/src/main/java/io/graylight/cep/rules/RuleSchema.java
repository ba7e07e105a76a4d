package io.graylight.cep.rules;

import dev.cel.common.CelOptions;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.graylight.contracts.metrics.CohortMetrics;
import io.graylight.contracts.telemetry.TelemetryEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The names a rule's CEL expressions may use, with their types, and how an event becomes a CEL
 * activation. Every number is a {@code double}; an absent optional field reads as 0 (telemetry)
 * or NaN (a metric without samples, so every comparison with it is false); {@code missing} lists
 * the optional telemetry fields an event left out.
 *
 * <p>Telemetry: {@code type} ("request"/"feedback"), {@code eventId}, {@code release},
 * {@code cohort}, {@code version}, {@code userId}, {@code segment} (map of strings),
 * {@code status} (ok, error, timeout, rate_limited, filtered; "" for feedback), {@code latencyMs},
 * {@code ttftMs}, {@code inputTokens}, {@code outputTokens}, {@code costUsd}, {@code qualityScore},
 * {@code score} (feedback: 1 or -1), {@code missing} (list of strings).
 *
 * <p>Metrics: {@code release}, {@code windowSeconds}, and {@code canary} and {@code baseline},
 * each a map of the window's metrics ({@link #METRIC_FIELDS}).
 */
public final class RuleSchema {

    public static final List<String> TELEMETRY_OPTIONAL = List.of("version", "ttftMs", "inputTokens", "outputTokens",
            "costUsd", "qualityScore");

    public static final List<String> METRIC_FIELDS = List.of("requests", "errors", "timeouts", "rateLimited", "filtered",
            "errorRate", "timeoutRate", "rateLimitedRate", "filteredRate", "latencyP50", "latencyP90", "latencyP95",
            "latencyP99", "ttftP50", "ttftP95", "inputTokens", "outputTokens", "costUsd", "costPerRequest",
            "qualityMean", "feedbackUp", "feedbackDown", "negativeFeedbackRate");

    /** Identifiers whose fields are checked by name ({@code canary.latencyP95}, {@code params.ratio}). */
    static final List<String> METRIC_MAPS = List.of("canary", "baseline");

    private static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .maxExpressionCodePointSize(4_000)
            .build();

    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

    private RuleSchema() {}

    public static Map<String, CelType> variables(InputKind input) {
        Map<String, CelType> vars = new LinkedHashMap<>();
        if (input == InputKind.TELEMETRY) {
            for (String s : List.of("type", "eventId", "release", "cohort", "version", "userId", "status")) {
                vars.put(s, SimpleType.STRING);
            }
            vars.put("segment", MapType.create(SimpleType.STRING, SimpleType.STRING));
            for (String d : List.of("latencyMs", "ttftMs", "inputTokens", "outputTokens", "costUsd", "qualityScore", "score")) {
                vars.put(d, SimpleType.DOUBLE);
            }
            vars.put("missing", ListType.create(SimpleType.STRING));
        } else {
            vars.put("release", SimpleType.STRING);
            vars.put("windowSeconds", SimpleType.DOUBLE);
            vars.put("canary", MapType.create(SimpleType.STRING, SimpleType.DOUBLE));
            vars.put("baseline", MapType.create(SimpleType.STRING, SimpleType.DOUBLE));
        }
        vars.put("params", MapType.create(SimpleType.STRING, SimpleType.DYN));
        return vars;
    }

    /** A compiler for expressions of {@code resultType} over {@code input}. */
    public static CelCompiler compiler(InputKind input, CelType resultType) {
        CelCompilerBuilder builder = CelCompilerFactory.standardCelCompilerBuilder().setOptions(OPTIONS).setResultType(resultType);
        variables(input).forEach(builder::addVar);
        return builder.build();
    }

    public static CelRuntime runtime() {
        return RUNTIME;
    }

    /** The CEL activation of a telemetry event (without {@code params}). */
    public static Map<String, Object> telemetryVars(TelemetryEvent e) {
        Map<String, Object> vars = new HashMap<>(24);
        List<String> missing = new ArrayList<>(2);
        vars.put("type", e.type() == null ? "" : e.type().name().toLowerCase(Locale.ROOT));
        vars.put("eventId", e.eventId());
        vars.put("release", e.release());
        vars.put("cohort", e.cohort() == null ? "" : e.cohort().name().toLowerCase(Locale.ROOT));
        vars.put("version", orMissing(e.version(), "version", missing));
        vars.put("userId", e.userId() == null ? "" : e.userId());
        vars.put("segment", e.segment() == null ? Map.of() : e.segment());
        vars.put("status", e.status() == null ? "" : e.status().name().toLowerCase(Locale.ROOT));
        vars.put("latencyMs", number(e.latencyMs(), null, missing));
        vars.put("ttftMs", number(e.ttftMs(), e.isRequest() ? "ttftMs" : null, missing));
        vars.put("inputTokens", number(e.inputTokens(), e.isRequest() ? "inputTokens" : null, missing));
        vars.put("outputTokens", number(e.outputTokens(), e.isRequest() ? "outputTokens" : null, missing));
        vars.put("costUsd", number(e.costUsd(), e.isRequest() ? "costUsd" : null, missing));
        vars.put("qualityScore", number(e.qualityScore(), e.isRequest() ? "qualityScore" : null, missing));
        vars.put("score", number(e.score(), null, missing));
        vars.put("missing", missing);
        return vars;
    }

    /** The CEL activation of a canary-vs-baseline window pair (without {@code params}). */
    public static Map<String, Object> metricsVars(String release, long windowMillis, CohortMetrics canary, CohortMetrics baseline) {
        Map<String, Object> vars = new HashMap<>(8);
        vars.put("release", release);
        vars.put("windowSeconds", windowMillis / 1000.0);
        vars.put("canary", metricMap(canary));
        vars.put("baseline", metricMap(baseline));
        return vars;
    }

    static Map<String, Double> metricMap(CohortMetrics m) {
        Map<String, Double> map = new HashMap<>(METRIC_FIELDS.size() * 2);
        if (m == null) {
            for (String field : METRIC_FIELDS) {
                map.put(field, field.endsWith("Rate") || field.startsWith("latency") || field.startsWith("ttft")
                        || field.equals("costPerRequest") || field.equals("qualityMean") ? Double.NaN : 0.0);
            }
            return map;
        }
        map.put("requests", (double) m.requests());
        map.put("errors", (double) m.errors());
        map.put("timeouts", (double) m.timeouts());
        map.put("rateLimited", (double) m.rateLimited());
        map.put("filtered", (double) m.filtered());
        map.put("errorRate", m.requests() == 0 ? Double.NaN : m.errorRate());
        map.put("timeoutRate", m.requests() == 0 ? Double.NaN : m.timeoutRate());
        map.put("rateLimitedRate", m.requests() == 0 ? Double.NaN : m.rateLimitedRate());
        map.put("filteredRate", m.requests() == 0 ? Double.NaN : m.filteredRate());
        map.put("latencyP50", nan(m.latencyP50()));
        map.put("latencyP90", nan(m.latencyP90()));
        map.put("latencyP95", nan(m.latencyP95()));
        map.put("latencyP99", nan(m.latencyP99()));
        map.put("ttftP50", nan(m.ttftP50()));
        map.put("ttftP95", nan(m.ttftP95()));
        map.put("inputTokens", (double) m.inputTokens());
        map.put("outputTokens", (double) m.outputTokens());
        map.put("costUsd", m.costUsd());
        map.put("costPerRequest", nan(m.costPerRequest()));
        map.put("qualityMean", nan(m.qualityMean()));
        map.put("feedbackUp", (double) m.feedbackUp());
        map.put("feedbackDown", (double) m.feedbackDown());
        map.put("negativeFeedbackRate", nan(m.negativeFeedbackRate()));
        return map;
    }

    private static double nan(Double value) {
        return value == null ? Double.NaN : value;
    }

    private static String orMissing(String value, String field, List<String> missing) {
        if (value == null) {
            missing.add(field);
            return "";
        }
        return value;
    }

    private static double number(Number value, String field, List<String> missing) {
        if (value == null) {
            if (field != null) {
                missing.add(field);
            }
            return 0.0;
        }
        return value.doubleValue();
    }
}
