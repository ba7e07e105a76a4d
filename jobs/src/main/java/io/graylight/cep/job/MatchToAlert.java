package io.graylight.cep.job;

import io.graylight.cep.rules.Rule;
import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.alert.AlertScope;
import io.graylight.contracts.alert.AlertSource;
import io.graylight.contracts.alert.Effect;
import io.graylight.contracts.alert.MatchedEvents;
import io.graylight.simulator.Durations;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns one CEP match of a rule into an {@link Alert}: the matched events summarised (count, first
 * and last event time, the first {@value MatchedEvents#MAX_IDS} ids, the rule's named values on
 * the last event that carried them, and the numeric params in force then as {@code params.NAME}),
 * the message filled in with the live params, and a deterministic id from the rule,
 * release, scope and first and last matched event, so a replayed match keeps its id.
 */
public final class MatchToAlert extends PatternProcessFunction<RuleEvent, Alert> {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

    private final Rule rule;
    private final boolean emittedAtEventTime;

    /** @param emittedAtEventTime stamp {@code emittedAt} with the event time (deterministic runs: tests, {@code rules test}) */
    public MatchToAlert(Rule rule, boolean emittedAtEventTime) {
        this.rule = rule;
        this.emittedAtEventTime = emittedAtEventTime;
    }

    @Override
    public void processMatch(Map<String, List<RuleEvent>> match, Context ctx, Collector<Alert> out) {
        List<RuleEvent> events = new ArrayList<>();
        for (var step : rule.steps()) {
            List<RuleEvent> matched = match.get(step.name());
            if (matched != null) {
                events.addAll(matched);
            }
        }
        if (events.isEmpty()) {
            return;
        }
        events.sort((a, b) -> Long.compare(a.timestamp, b.timestamp));
        out.collect(alert(rule, events, emittedAtEventTime ? null : Instant.now()));
    }

    /** The alert of a match: {@code events} in event-time order; {@code emittedAt} null to use the event time. */
    public static Alert alert(Rule rule, List<RuleEvent> events, Instant emittedAt) {
        RuleEvent first = events.get(0);
        RuleEvent last = events.get(events.size() - 1);
        String cohort = first.cohort;
        boolean mixed = false;
        Map<String, Double> values = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>();
        for (RuleEvent e : events) {
            mixed |= cohort == null ? e.cohort != null : !cohort.equals(e.cohort);
            if (e.values != null) {
                values.putAll(e.values);
            }
            if (ids.size() < MatchedEvents.MAX_IDS) {
                ids.add(e.eventId);
            }
        }
        AlertScope scope = mixed ? AlertScope.BOTH
                : cohort == null ? AlertScope.CANARY // metrics rules compare the canary with the baseline
                : "canary".equals(cohort) ? AlertScope.CANARY : AlertScope.BASELINE;
        Instant eventTime = Instant.ofEpochMilli(last.timestamp);
        Instant firstTime = Instant.ofEpochMilli(first.timestamp);
        MatchedEvents matched = new MatchedEvents(events.size(), firstTime, eventTime, List.copyOf(ids), Map.copyOf(values));
        String scopeName = scope.name().toLowerCase(java.util.Locale.ROOT);
        String alertId = "cep-" + rule.id() + "-" + hash(rule.id() + "|" + first.release + "|" + scopeName + "|"
                + first.eventId + "|" + last.eventId + "|" + events.size());
        Instant holdUntil = rule.effect() == Effect.NOTIFY ? null : eventTime.plus(rule.holdFor());
        String message = format(rule, first.release, scopeName, events.size(), firstTime, eventTime, values);
        return new Alert(alertId, AlertSource.CEP, rule.id(), rule.severity(), rule.effect(), rule.dryRun(), first.release,
                scope, eventTime, emittedAt == null ? eventTime : emittedAt, holdUntil, message, matched, null);
    }

    static String format(Rule rule, String release, String scope, int count, Instant first, Instant last, Map<String, Double> values) {
        Matcher m = PLACEHOLDER.matcher(rule.message());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1).strip();
            String value = switch (name) {
                case "rule" -> rule.id();
                case "release" -> release;
                case "scope" -> scope;
                case "count" -> Integer.toString(count);
                case "first" -> first.toString();
                case "last" -> last.toString();
                case "within" -> Durations.format(rule.within());
                default -> {
                    if (name.startsWith("params.") && !values.containsKey(name)) {
                        yield number(rule.params().get(name.substring(7))); // a text or boolean param
                    }
                    yield number(values.get(name));
                }
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String number(Object value) {
        if (value instanceof Double d) {
            if (d.isNaN()) {
                return "n/a";
            }
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return Long.toString(d.longValue());
            }
            return Math.abs(d) >= 100 ? String.format(java.util.Locale.ROOT, "%.0f", d)
                    : String.format(java.util.Locale.ROOT, "%.3g", d);
        }
        return value == null ? "?" : value.toString();
    }

    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
