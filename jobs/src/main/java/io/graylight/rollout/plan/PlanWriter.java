package io.graylight.rollout.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graylight.simulator.Durations;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Writes a plan as the YAML {@link PlanParser} reads, every default spelled out: {@code graylight
 * plan validate --effective} shows operators what a plan really means. Parsing the output gives the
 * same plan back.
 */
public final class PlanWriter {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Plain scalars that YAML reads back as the same text (not a number, boolean, null or alias). */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z][A-Za-z0-9_./-]*");
    private static final Set<String> YAML_WORDS = Set.of(
            "true", "false", "yes", "no", "on", "off", "y", "n", "null");

    private PlanWriter() {}

    public static String toYaml(RolloutPlan plan) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("# ").append(plan.source()).append(", defaults filled in\n");
        yaml.append("release: ").append(scalar(plan.release())).append('\n');
        if (plan.baselineVersion() != null) {
            yaml.append("baselineVersion: ").append(scalar(plan.baselineVersion())).append('\n');
        }
        if (plan.canaryVersion() != null) {
            yaml.append("canaryVersion: ").append(scalar(plan.canaryVersion())).append('\n');
        }
        yaml.append("strategy: {type: ").append(scalar(plan.strategy().type()));
        for (Map.Entry<String, Object> parameter : plan.strategy().parameters().entrySet()) {
            yaml.append(", ").append(parameter.getKey()).append(": ").append(value(parameter.getValue()));
        }
        yaml.append("}\n");
        yaml.append("stages: ").append(value(plan.stages())).append('\n');
        yaml.append("minStageDuration: ").append(Durations.format(plan.minStageDuration())).append('\n');
        yaml.append("minSamples: ").append(plan.minSamples()).append('\n');
        yaml.append("alpha: ").append(PlanText.number(plan.alpha())).append('\n');
        yaml.append("guards:\n");
        for (Guard guard : plan.guards()) {
            yaml.append("  - {metric: ").append(guard.metric().wireName())
                    .append(guard.isRelative() ? ", relativeMargin: " : ", margin: ")
                    .append(PlanText.number(guard.isRelative() ? guard.relativeMargin() : guard.margin()))
                    .append("}\n");
        }
        return yaml.toString();
    }

    private static String value(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(PlanWriter::value).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Number number) {
            return PlanText.number(number.doubleValue());
        }
        return scalar(String.valueOf(value));
    }

    private static String scalar(String text) {
        if (PLAIN.matcher(text).matches() && !YAML_WORDS.contains(text.toLowerCase(java.util.Locale.ROOT))) {
            return text;
        }
        try {
            return JSON.writeValueAsString(text); // a JSON string is a YAML double-quoted scalar
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
