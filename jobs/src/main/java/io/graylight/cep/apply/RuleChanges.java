package io.graylight.cep.apply;

import io.graylight.cep.rules.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What applying new rules changes for the running job. A rule keeps its CEP state (partial
 * matches) across a resubmit when its operator uid ({@link Rule#uid()}: id and shape hash) stays:
 * unchanged and changed-but-same-shape rules keep it, reshaped and removed rules lose it.
 *
 * @param changed same shape, something else differs (conditions, params, message, ...): keeps its state
 */
public record RuleChanges(List<String> added, List<String> removed, List<String> reshaped, List<String> changed,
        List<String> unchanged) {

    public static RuleChanges between(List<Rule> before, List<Rule> after) {
        Map<String, Rule> old = index(before);
        Map<String, Rule> now = index(after);
        List<String> added = new ArrayList<>();
        List<String> reshaped = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        now.forEach((id, rule) -> {
            Rule was = old.get(id);
            if (was == null) {
                added.add(id);
            } else if (!was.uid().equals(rule.uid())) {
                reshaped.add(id);
            } else if (!withoutSource(was).equals(withoutSource(rule))) {
                changed.add(id);
            } else {
                unchanged.add(id);
            }
        });
        List<String> removed = old.keySet().stream().filter(id -> !now.containsKey(id)).toList();
        return new RuleChanges(List.copyOf(added), removed, List.copyOf(reshaped), List.copyOf(changed), List.copyOf(unchanged));
    }

    /** Nothing to apply: the same rules. */
    public boolean none() {
        return added.isEmpty() && removed.isEmpty() && reshaped.isEmpty() && changed.isEmpty();
    }

    /** One line per kind of change, e.g. {@code reshaped (starts afresh): timeout-storm}. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        line(lines, "added", added);
        line(lines, "removed (its partial matches are dropped)", removed);
        line(lines, "reshaped (starts afresh)", reshaped);
        line(lines, "changed, same shape (keeps its partial matches)", changed);
        line(lines, "unchanged (keeps its partial matches)", unchanged);
        return lines;
    }

    private static void line(List<String> lines, String what, List<String> ids) {
        if (!ids.isEmpty()) {
            lines.add(String.format("  %-48s %s", what + ":", String.join(", ", ids)));
        }
    }

    private static Map<String, Rule> index(List<Rule> rules) {
        return rules.stream().collect(Collectors.toMap(Rule::id, Function.identity(), (a, b) -> a, TreeMap::new));
    }

    // The file a rule came from is not part of it: the same rules applied from another path are unchanged.
    private static Rule withoutSource(Rule r) {
        return new Rule(r.id(), r.description(), r.severity(), r.effect(), r.dryRun(), r.input(), r.cohorts(), r.releases(),
                r.filter(), r.key(), r.params(), r.steps(), r.within(), r.afterMatch(), r.cooldown(), r.holdFor(), r.message(),
                r.values(), "");
    }
}
