package io.graylight.rollout.plan;

import io.graylight.contracts.decision.Strategy;
import io.graylight.contracts.routing.ScheduleWindow;
import io.graylight.rollout.plan.YamlTree.Field;
import io.graylight.rollout.plan.YamlTree.ListNode;
import io.graylight.rollout.plan.YamlTree.MapNode;
import io.graylight.rollout.plan.YamlTree.Node;
import io.graylight.rollout.plan.YamlTree.Position;
import io.graylight.rollout.plan.YamlTree.ScalarNode;
import io.graylight.simulator.Durations;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a rollout plan (DESIGN.md "Rollout plan (YAML)") and refuses it, with every problem as
 * {@code file:line:column: reason}, unless it is fully valid. The CLI checks a plan with it before
 * sending it and the judge job checks it again when the START command arrives, so a plan means the
 * same in both places. Defaults are listed on {@link RolloutPlan}.
 *
 * <p>What is checked: YAML syntax; unknown fields (with "did you mean" for near misses); duplicate
 * keys; {@code release} present and not blank; {@code stages} a non-empty list of percents in
 * (0, 100], strictly rising; {@code minStageDuration} a duration such as 90s, 10m, 1h30m;
 * {@code minSamples} a whole number &gt;= 0; {@code alpha} in (0, 0.5]; each guard a known metric
 * (at most one guard per metric) with exactly one of {@code margin} and {@code relativeMargin},
 * non-negative (a margin on a [0, 1] metric below 1); the strategy type and its parameters:
 * segment and priority {@code {attribute, order: [..]}}, schedule {@code {windows: [..]}} (each a
 * {@link ScheduleWindow}), smart {@code {model, minScore in [0, 1]}}.
 */
public final class PlanParser {

    static final List<String> PLAN_FIELDS = List.of("release", "baselineVersion", "canaryVersion", "strategy",
            "stages", "minStageDuration", "minSamples", "alpha", "guards");
    static final List<String> GUARD_FIELDS = List.of("metric", "margin", "relativeMargin");

    private final Problems problems;

    private PlanParser(Problems problems) {
        this.problems = problems;
    }

    /** Reads and checks a plan file; messages name the file as given. */
    public static RolloutPlan parse(Path file) throws PlanException {
        return parse(readText(file), file.toString());
    }

    /**
     * Checks a plan's text.
     *
     * @param sourceName the file name to put in messages, e.g. {@code rollouts/chat.yaml}
     */
    public static RolloutPlan parse(String yaml, String sourceName) throws PlanException {
        Problems problems = new Problems(sourceName);
        Node root = YamlTree.parse(yaml == null ? "" : yaml, problems);
        if (root == null) {
            problems.add(Position.START, "empty plan; expected at least 'release: <id>'");
            throw problems.exception();
        }
        if (!(root instanceof MapNode map)) {
            problems.add(root, "a plan is a mapping of fields such as 'release: chat', not " + root.describe());
            throw problems.exception();
        }
        RolloutPlan plan = new PlanParser(problems).plan(map, sourceName);
        problems.throwIfAny();
        return plan;
    }

    /** The plan file's text, as the CLI sends it; refused like a plan when unreadable. */
    public static String readText(Path file) throws PlanException {
        String source = file.toString();
        try {
            return Files.readString(file);
        } catch (CharacterCodingException e) {
            throw single(source, "not UTF-8 text");
        } catch (NoSuchFileException e) {
            throw single(source, "no such file");
        } catch (IOException e) {
            throw single(source, "cannot read: " + e.getMessage());
        }
    }

    private static PlanException single(String source, String reason) {
        return new PlanException(List.of(new PlanProblem(source, 0, 0, reason)));
    }

    private RolloutPlan plan(MapNode map, String source) {
        unknownFields(map, PLAN_FIELDS, "");
        String release = release(map);
        String baselineVersion = optionalText(map, "baselineVersion");
        String canaryVersion = optionalText(map, "canaryVersion");
        Strategy strategy = strategy(map.field("strategy"));
        List<Double> stages = stages(map.field("stages"));
        Duration minStageDuration = minStageDuration(map.field("minStageDuration"));
        long minSamples = minSamples(map.field("minSamples"));
        double alpha = alpha(map.field("alpha"));
        List<Guard> guards = guards(map.field("guards"));
        if (!problems.isEmpty()) {
            return null;
        }
        try {
            return new RolloutPlan(release, baselineVersion, canaryVersion, strategy, stages, minStageDuration,
                    minSamples, alpha, guards, source);
        } catch (IllegalArgumentException | NullPointerException e) {
            // the checks above should have caught it; still a refusal with a place, never a crash
            problems.add(map, "invalid plan: " + e.getMessage());
            return null;
        }
    }

    // --- top-level fields ---

    private String release(MapNode map) {
        Field field = map.field("release");
        if (field == null) {
            problems.add(map, "missing 'release': the release id, or \"*\" for every release");
            return null;
        }
        String release = text(field, "a release id such as chat");
        if (release != null && release.isBlank()) {
            problems.add(field.value(), "'release' must not be blank");
            return null;
        }
        return release == null ? null : release.strip();
    }

    private String optionalText(MapNode map, String name) {
        Field field = map.field(name);
        if (field == null || field.value() instanceof ScalarNode s && s.isNull()) {
            return null;
        }
        String text = text(field, "a version string such as v2");
        return text == null || text.isBlank() ? null : text.strip();
    }

    private List<Double> stages(Field field) {
        if (field == null) {
            return RolloutPlan.DEFAULT_STAGES;
        }
        if (!(field.value() instanceof ListNode list)) {
            wrongType(field, "a list of canary percentages like [1, 5, 25, 50, 100]");
            return null;
        }
        if (list.items().isEmpty()) {
            problems.add(list, "'stages' must list at least one canary percentage");
            return null;
        }
        List<Double> stages = new ArrayList<>();
        Double previous = null;
        boolean valid = true;
        for (Node item : list.items()) {
            Double stage = number(item, "'stages' must hold canary percentages like [1, 5, 25, 50, 100]");
            if (stage == null) {
                valid = false;
            } else if (!(stage > 0 && stage <= 100)) {
                problems.add(item, "stage " + PlanText.number(stage) + " is out of range: each stage is a canary percent in (0, 100]");
                valid = false;
            } else {
                if (previous != null && stage <= previous) {
                    problems.add(item, "stages must rise strictly: " + PlanText.number(stage) + " follows "
                            + PlanText.number(previous));
                    valid = false;
                }
                previous = stage;
                stages.add(stage);
            }
        }
        return valid ? stages : null;
    }

    private Duration minStageDuration(Field field) {
        if (field == null) {
            return RolloutPlan.DEFAULT_MIN_STAGE_DURATION;
        }
        if (!(field.value() instanceof ScalarNode scalar) || scalar.isNull()) {
            wrongType(field, "a duration such as 90s, 10m or 1h30m");
            return null;
        }
        try {
            return Durations.parse(scalar.text());
        } catch (IllegalArgumentException e) {
            problems.add(scalar, "bad minStageDuration '" + scalar.text() + "'; expected a duration such as 90s, 10m or 1h30m");
            return null;
        }
    }

    private long minSamples(Field field) {
        if (field == null) {
            return RolloutPlan.DEFAULT_MIN_SAMPLES;
        }
        Node value = field.value();
        if (!(value instanceof ScalarNode scalar) || !scalar.isNumber()) {
            wrongType(field, "a whole number of canary requests, such as 500");
            return 0;
        }
        BigDecimal number = new BigDecimal(scalar.number().toString());
        if (number.signum() < 0) {
            problems.add(value, "minSamples must be >= 0, got " + scalar.text());
            return 0;
        }
        try {
            return number.longValueExact();
        } catch (ArithmeticException e) {
            problems.add(value, "minSamples must be a whole number below 2^63, got " + scalar.text());
            return 0;
        }
    }

    private double alpha(Field field) {
        if (field == null) {
            return RolloutPlan.DEFAULT_ALPHA;
        }
        Double alpha = number(field.value(), "'alpha' must be a probability in (0, 0.5], such as 0.01");
        if (alpha != null && !(alpha > 0 && alpha <= RolloutPlan.MAX_ALPHA)) {
            problems.add(field.value(), "alpha must be in (0, 0.5], got " + PlanText.number(alpha));
        }
        return alpha == null ? RolloutPlan.DEFAULT_ALPHA : alpha;
    }

    // --- guards ---

    private List<Guard> guards(Field field) {
        if (field == null) {
            return RolloutPlan.DEFAULT_GUARDS;
        }
        if (!(field.value() instanceof ListNode list)) {
            wrongType(field, "a list of guards like [{metric: error_rate, margin: 0.002}]");
            return null;
        }
        if (list.items().isEmpty()) {
            problems.add(list, "'guards' is empty; list at least one guard, or leave 'guards' out for the default set");
            return null;
        }
        List<Guard> guards = new ArrayList<>();
        Map<GuardMetric, Position> seen = new EnumMap<>(GuardMetric.class);
        for (Node item : list.items()) {
            Guard guard = guard(item);
            if (guard == null) {
                continue;
            }
            Position first = seen.putIfAbsent(guard.metric(), item.position());
            if (first != null) {
                MapNode map = (MapNode) item;
                problems.add(map.field("metric").value(), "duplicate guard for '" + guard.metric().wireName()
                        + "' (first at line " + first.line() + ")");
            } else {
                guards.add(guard);
            }
        }
        return guards.size() == list.items().size() ? guards : null;
    }

    private Guard guard(Node item) {
        if (!(item instanceof MapNode map)) {
            problems.add(item, "each guard must be a mapping like {metric: error_rate, margin: 0.002}, not " + item.describe());
            return null;
        }
        int before = problems.size();
        unknownFields(map, GUARD_FIELDS, " in a guard");
        Field metricField = map.field("metric");
        GuardMetric metric = null;
        if (metricField == null) {
            problems.add(map, "guard without 'metric' (known: " + GuardMetric.knownNames() + ")");
        } else {
            String name = text(metricField, "a metric name such as error_rate");
            if (name != null) {
                metric = GuardMetric.fromWire(name.strip()).orElse(null);
                if (metric == null) {
                    problems.add(metricField.value(), "unknown metric '" + name + "' ("
                            + suggestion(name, metricNames()).map(s -> "did you mean '" + s + "'? ").orElse("")
                            + "known: " + GuardMetric.knownNames() + ")");
                }
            }
        }
        Field marginField = map.field("margin");
        Field relativeField = map.field("relativeMargin");
        String label = metric == null ? "guard" : "guard '" + metric.wireName() + "'";
        if (marginField != null && relativeField != null) {
            Field later = later(marginField, relativeField);
            problems.add(later.keyPosition(), label + " has both 'margin' and 'relativeMargin'; give exactly one");
            return null;
        }
        if (marginField == null && relativeField == null) {
            problems.add(map, label + " needs 'margin' (absolute) or 'relativeMargin' (relative to the baseline)");
            return null;
        }
        Field given = marginField != null ? marginField : relativeField;
        Double margin = number(given.value(), "'" + given.name() + "' must be a number >= 0");
        if (margin != null && margin < 0) {
            problems.add(given.value(), given.name() + " must be >= 0, got " + PlanText.number(margin));
            margin = null;
        }
        if (margin != null && metric != null) {
            if (marginField != null && metric.isUnitInterval() && margin >= 1) {
                problems.add(given.value(), "margin " + PlanText.number(margin) + " for " + metric.wireName()
                        + " tolerates any value: the metric lies in [0, 1], so the margin must be below 1");
                margin = null;
            } else if (relativeField != null && !metric.higherIsWorse() && margin >= 1) {
                problems.add(given.value(), "relativeMargin " + PlanText.number(margin) + " for " + metric.wireName()
                        + " tolerates any drop; it must be below 1");
                margin = null;
            }
        }
        if (problems.size() > before || metric == null || margin == null) {
            return null;
        }
        return marginField != null ? Guard.absolute(metric, margin) : Guard.relative(metric, margin);
    }

    private static Field later(Field a, Field b) {
        return a.keyPosition().line() > b.keyPosition().line()
                || (a.keyPosition().line() == b.keyPosition().line() && a.keyPosition().column() > b.keyPosition().column())
                ? a : b;
    }

    private static List<String> metricNames() {
        return java.util.Arrays.stream(GuardMetric.values()).map(GuardMetric::wireName).toList();
    }

    // --- strategy ---

    private Strategy strategy(Field field) {
        if (field == null) {
            return Strategy.percentage();
        }
        Node value = field.value();
        if (value instanceof ScalarNode scalar && scalar.isString()) {
            // shorthand "strategy: percentage" for a type without parameters
            StrategyType type = strategyType(scalar);
            if (type != null && !type.parameters().isEmpty()) {
                problems.add(scalar, "strategy '" + type.wireName() + "' needs " + quotedList(type.parameters())
                        + "; write it as a mapping, e.g. " + example(type));
                return null;
            }
            return type == null ? null : new Strategy(type.wireName());
        }
        if (!(value instanceof MapNode map)) {
            wrongType(field, "a mapping such as {type: percentage}");
            return null;
        }
        Field typeField = map.field("type");
        if (typeField == null) {
            problems.add(map, "strategy without 'type' (known: " + String.join(", ", StrategyType.wireNames()) + ")");
            return null;
        }
        if (!(typeField.value() instanceof ScalarNode typeScalar) || !typeScalar.isString()) {
            wrongType(typeField, "one of " + String.join(", ", StrategyType.wireNames()));
            return null;
        }
        StrategyType type = strategyType(typeScalar);
        if (type == null) {
            return null;
        }
        List<String> allowed = new ArrayList<>();
        allowed.add("type");
        allowed.addAll(type.parameters());
        unknownFields(map, allowed, " for strategy '" + type.wireName() + "'");
        int before = problems.size();
        Strategy strategy = new Strategy(type.wireName());
        switch (type) {
            case PERCENTAGE -> { }
            case SEGMENT, PRIORITY -> {
                String attribute = requiredParameterText(map, type, "attribute");
                List<String> order = order(map, type);
                if (attribute != null && order != null) {
                    strategy.with("attribute", attribute).with("order", order);
                }
            }
            case SCHEDULE -> {
                List<String> windows = windows(map);
                if (windows != null) {
                    strategy.with("windows", windows);
                }
            }
            case SMART -> {
                String model = requiredParameterText(map, type, "model");
                Double minScore = minScore(map);
                if (model != null && minScore != null) {
                    strategy.with("model", model).with("minScore", minScore);
                }
            }
        }
        return problems.size() == before ? strategy : null;
    }

    private StrategyType strategyType(ScalarNode scalar) {
        String name = scalar.text().strip();
        Optional<StrategyType> type = StrategyType.fromWire(name);
        if (type.isEmpty()) {
            problems.add(scalar, "unknown strategy '" + name + "' ("
                    + suggestion(name, StrategyType.wireNames()).map(s -> "did you mean '" + s + "'? ").orElse("")
                    + "known: " + String.join(", ", StrategyType.wireNames()) + ")");
        }
        return type.orElse(null);
    }

    private static String example(StrategyType type) {
        return switch (type) {
            case PERCENTAGE -> "{type: percentage}";
            case SEGMENT -> "{type: segment, attribute: region, order: [eu-west, us-east, ap-south]}";
            case SCHEDULE -> "{type: schedule, windows: [\"Mon-Fri 02:00-06:00 UTC\"]}";
            case PRIORITY -> "{type: priority, attribute: tier, order: [internal, free, pro, enterprise]}";
            case SMART -> "{type: smart, model: targeting, minScore: 0.6}";
        };
    }

    private Field requiredParameter(MapNode map, StrategyType type, String name, String meaning) {
        Field field = map.field(name);
        if (field == null) {
            problems.add(map, "strategy '" + type.wireName() + "' needs '" + name + "': " + meaning + "; e.g. " + example(type));
        }
        return field;
    }

    private String requiredParameterText(MapNode map, StrategyType type, String name) {
        String meaning = switch (name) {
            case "attribute" -> "the telemetry segment key it rolls out by";
            case "model" -> "the targeting model's name";
            default -> "a name";
        };
        Field field = requiredParameter(map, type, name, meaning);
        if (field == null) {
            return null;
        }
        String text = text(field, "a name");
        if (text != null && text.isBlank()) {
            problems.add(field.value(), "'" + name + "' must not be blank");
            return null;
        }
        return text == null ? null : text.strip();
    }

    private List<String> order(MapNode map, StrategyType type) {
        String meaning = type == StrategyType.SEGMENT
                ? "the segment values in rollout order"
                : "the priority classes, first to get the canary first";
        Field field = requiredParameter(map, type, "order", meaning);
        if (field == null) {
            return null;
        }
        List<String> values = textList(field, "a list of " + (type == StrategyType.SEGMENT ? "segment values" : "classes")
                + " like " + (type == StrategyType.SEGMENT ? "[eu-west, us-east]" : "[internal, free, pro]"));
        if (values == null) {
            return null;
        }
        Set<String> seen = new HashSet<>();
        List<Node> items = ((ListNode) field.value()).items();
        boolean valid = true;
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).isBlank()) {
                problems.add(items.get(i), "'order' values must not be blank");
                valid = false;
            } else if (!seen.add(values.get(i))) {
                problems.add(items.get(i), "'" + values.get(i) + "' appears twice in 'order'");
                valid = false;
            }
        }
        return valid ? values : null;
    }

    private List<String> windows(MapNode map) {
        Field field = requiredParameter(map, StrategyType.SCHEDULE, "windows", "the weekly time windows for canary traffic");
        if (field == null) {
            return null;
        }
        List<String> windows = textList(field, "a list of windows like [\"Mon-Fri 02:00-06:00 UTC\"]");
        if (windows == null) {
            return null;
        }
        List<Node> items = ((ListNode) field.value()).items();
        boolean valid = true;
        for (int i = 0; i < windows.size(); i++) {
            try {
                ScheduleWindow.parse(windows.get(i));
            } catch (IllegalArgumentException e) {
                problems.add(items.get(i), "bad schedule window '" + windows.get(i) + "': " + e.getMessage());
                valid = false;
            }
        }
        return valid ? windows.stream().map(String::strip).toList() : null;
    }

    private Double minScore(MapNode map) {
        Field field = requiredParameter(map, StrategyType.SMART, "minScore",
                "the lowest targeting score in [0, 1] that makes a user eligible");
        if (field == null) {
            return null;
        }
        Double score = number(field.value(), "'minScore' must be a number in [0, 1]");
        if (score != null && !(score >= 0 && score <= 1)) {
            problems.add(field.value(), "minScore must be in [0, 1], got " + PlanText.number(score));
            return null;
        }
        return score;
    }

    // --- shared checks ---

    /** Every key not in {@code known} is a problem, with the nearest known key when it looks like a typo. */
    private void unknownFields(MapNode map, List<String> known, String where) {
        for (Field field : map.fields().values()) {
            if (!known.contains(field.name())) {
                problems.add(field.keyPosition(), "unknown field '" + field.name() + "'" + where + " ("
                        + suggestion(field.name(), known).map(s -> "did you mean '" + s + "'?")
                                .orElse("known: " + String.join(", ", known))
                        + ")");
            }
        }
    }

    /** A scalar's text; numbers and booleans count as text ("version: 2" is the version "2"). */
    private String text(Field field, String expected) {
        if (!(field.value() instanceof ScalarNode scalar) || scalar.isNull()) {
            wrongType(field, expected);
            return null;
        }
        return scalar.text();
    }

    private List<String> textList(Field field, String expected) {
        if (!(field.value() instanceof ListNode list)) {
            wrongType(field, expected);
            return null;
        }
        if (list.items().isEmpty()) {
            problems.add(list, "'" + field.name() + "' must not be empty");
            return null;
        }
        List<String> values = new ArrayList<>();
        for (Node item : list.items()) {
            if (!(item instanceof ScalarNode scalar) || scalar.isNull()) {
                problems.add(item, "'" + field.name() + "' must be " + expected + "; this item is " + item.describe());
                return null;
            }
            values.add(scalar.text());
        }
        return values;
    }

    private Double number(Node node, String expectation) {
        if (!(node instanceof ScalarNode scalar) || !scalar.isNumber()) {
            problems.add(node, expectation + ", not " + node.describe());
            return null;
        }
        double value = scalar.number() instanceof BigInteger big ? big.doubleValue() : scalar.number().doubleValue();
        if (!Double.isFinite(value)) {
            problems.add(node, expectation + ", not " + node.describe());
            return null;
        }
        return value;
    }

    private void wrongType(Field field, String expected) {
        problems.add(field.value(), "'" + field.name() + "' must be " + expected + ", not " + field.value().describe());
    }

    private static String quotedList(List<String> names) {
        return String.join(" and ", names.stream().map(n -> "'" + n + "'").toList());
    }

    /**
     * The one known name closest to {@code given} (ignoring case, '_' and '-'), if it is a plausible
     * typo; nothing when two names are equally close (latency_p96: p95 or p99?).
     */
    public static Optional<String> suggestion(String given, Collection<String> known) {
        String target = normalize(given);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        boolean unique = false;
        for (String name : known) {
            int distance = levenshtein(target, normalize(name));
            if (distance < bestDistance) {
                best = name;
                bestDistance = distance;
                unique = true;
            } else if (distance == bestDistance) {
                unique = false;
            }
        }
        int tolerated = target.length() <= 4 ? 1 : target.length() < 12 ? 2 : 3;
        return unique && bestDistance <= tolerated ? Optional.of(best) : Optional.empty();
    }

    private static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
