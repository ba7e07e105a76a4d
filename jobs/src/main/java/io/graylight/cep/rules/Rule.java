package io.graylight.cep.rules;

import io.graylight.contracts.alert.Effect;
import io.graylight.contracts.alert.Severity;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A checked CEP alert rule (see {@link RuleParser} for the file format).
 *
 * <p>The <em>shape</em> ({@link #shapeHash()}: input, key, steps with quantifiers and contiguity,
 * {@code within}, after-match strategy) is compiled into a Flink CEP pattern when the job starts;
 * everything else (conditions, params, message, values, cooldown, severity, effect) is read per
 * event and survives a resubmit from a savepoint, and {@code params} also change live.
 *
 * @param cohorts the cohorts whose events a telemetry rule sees (empty: both)
 * @param releases the releases it applies to (empty: every release)
 * @param filter a CEL bool: events for which it is false never reach this rule (null: all events);
 *     "consecutive" and "next" then count only the events that pass it
 * @param key telemetry: the event fields the CEP operator is keyed by ({@code release} always first)
 * @param params named thresholds (Double, String or Boolean), read by conditions as {@code params.name}
 * @param values named figures for the alert and its message: CEL expressions of type double,
 *     evaluated on the last matched event
 * @param cooldown repeated matches within it (per rule, release and scope) are suppressed
 * @param holdFor for effect hold: how long promotions stay blocked after the last matched event
 * @param source the file it came from, for messages
 */
public record Rule(
        String id,
        String description,
        Severity severity,
        Effect effect,
        boolean dryRun,
        InputKind input,
        List<String> cohorts,
        List<String> releases,
        String filter,
        List<String> key,
        Map<String, Object> params,
        List<Step> steps,
        Duration within,
        AfterMatch afterMatch,
        Duration cooldown,
        Duration holdFor,
        String message,
        Map<String, String> values,
        String source) implements Serializable {

    /** Whether events that match no step still matter: only for strict contiguity. */
    public boolean needsNonMatchingEvents() {
        return steps.stream().anyMatch(s -> (s.contiguity() != null && s.contiguity().strict()) || s.consecutive());
    }

    /** The alert scope when every matched event shares a cohort; metrics rules compare both. */
    public boolean appliesTo(String release, String cohort) {
        return (releases.isEmpty() || releases.contains(release)) && (cohort == null || cohorts.isEmpty() || cohorts.contains(cohort));
    }

    /** Hash of what a savepoint's CEP state depends on; part of the operator uid. */
    public String shapeHash() {
        StringBuilder shape = new StringBuilder().append(input).append('|').append(key).append('|')
                .append(within.toMillis()).append('|').append(afterMatch);
        for (Step step : steps) {
            shape.append("||").append(step.shape());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(shape.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stable operator uid of this rule's CEP operator. */
    public String uid() {
        return "cep-" + id + "-" + shapeHash();
    }
}
