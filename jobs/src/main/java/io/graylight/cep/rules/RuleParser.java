package io.graylight.cep.rules;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import io.graylight.cep.compile.RuleCompiler;
import io.graylight.contracts.alert.Effect;
import io.graylight.contracts.alert.Severity;
import io.graylight.rollout.plan.PlanException;
import io.graylight.rollout.plan.PlanParser;
import io.graylight.rollout.plan.PlanProblem;
import io.graylight.rollout.plan.YamlTree;
import io.graylight.rollout.plan.YamlTree.Field;
import io.graylight.rollout.plan.YamlTree.ListNode;
import io.graylight.rollout.plan.YamlTree.MapNode;
import io.graylight.rollout.plan.YamlTree.Node;
import io.graylight.rollout.plan.YamlTree.Position;
import io.graylight.rollout.plan.YamlTree.ScalarNode;
import io.graylight.simulator.Durations;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads CEP rule files and refuses them, with every problem as {@code file:line:column: reason},
 * unless every rule is valid. A file holds one rule (a mapping with {@code id}) or several
 * ({@code rules: [...]}):
 *
 * <pre>
 * rules:
 *   - id: canary-error-burst            # [a-z0-9-], unique over the directory
 *     description: ...
 *     severity: critical                # info | warning | critical
 *     effect: rollback                  # notify | hold | rollback
 *     dryRun: false
 *     input: telemetry                  # telemetry | metrics
 *     scope: {cohorts: [canary], releases: [chat]}   # left out: every cohort / release
 *     filter: type == "request"         # CEL bool: the events this rule sees at all
 *     key: [release, cohort]            # telemetry: release plus any of cohort, version
 *     params: {minLatencyMs: 2000}      # live: numbers, strings, booleans
 *     pattern:
 *       - name: errors
 *         condition: status == "error"  # CEL, bool, over the input's fields and params
 *         times: 5                      # or [min, max]; timesOrMore: n; oneOrMore: true
 *         consecutive: false            # looping steps: consecutive | allowCombinations | greedy
 *         optional: false
 *       - name: next-step
 *         contiguity: followedBy        # next | followedBy | followedByAny | notNext | notFollowedBy
 *         condition: ...
 *     within: 30s                       # required
 *     afterMatch: skipPastLastEvent     # noSkip | skipToNext | skipPastLastEvent | {skipToFirst: STEP} | {skipToLast: STEP}
 *     cooldown: 5m                      # default: within
 *     holdFor: 10m                      # effect hold: default max(within, 5m)
 *     values: {errors: "..."}           # named CEL doubles on the last matched event
 *     message: "canary of {release}: {count} errors within {within}"
 * </pre>
 *
 * Message placeholders: {@code {rule}}, {@code {release}}, {@code {scope}}, {@code {count}},
 * {@code {first}}, {@code {last}}, {@code {within}}, {@code {params.NAME}} and each value's name.
 * Validation never throws anything but {@link RuleException}.
 */
public final class RuleParser {

    static final List<String> RULE_FIELDS = List.of("id", "description", "severity", "effect", "dryRun", "input",
            "scope", "filter", "key", "params", "pattern", "within", "afterMatch", "cooldown", "holdFor", "values", "message");
    static final List<String> STEP_FIELDS = List.of("name", "condition", "contiguity", "times", "timesOrMore",
            "oneOrMore", "optional", "greedy", "consecutive", "allowCombinations");
    static final List<String> SCOPE_FIELDS = List.of("cohorts", "releases");
    static final List<String> TELEMETRY_KEYS = List.of("release", "cohort", "version");
    static final List<String> MESSAGE_NAMES = List.of("rule", "release", "scope", "count", "first", "last", "within");
    static final int MAX_STEPS = 63;

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Duration DEFAULT_HOLD = Duration.ofMinutes(5);

    private final String source;
    private final List<String> lines;
    private final List<RuleProblem> problems;

    private RuleParser(String source, String text, List<RuleProblem> problems) {
        this.source = source;
        this.lines = text.lines().toList();
        this.problems = problems;
    }

    /** Every {@code .yaml}/{@code .yml} file of a directory (not recursive), in name order, checked together. */
    public static List<Rule> parseDirectory(Path dir) throws RuleException {
        return parseFiles(Files.isDirectory(dir) ? ruleFiles(dir) : List.of(dir));
    }

    /** Several files checked together (rule ids are unique over all of them). */
    public static List<Rule> parseFiles(List<Path> files) throws RuleException {
        // An unreadable file is one more problem; the others are still checked.
        List<RuleProblem> problems = new ArrayList<>();
        Map<String, String> texts = readFiles(files, problems);
        return parseTexts(texts, problems);
    }

    /**
     * The texts of a rule directory's {@code .yaml}/{@code .yml} files (not recursive, in name
     * order), or of one file; keyed by path as given, for messages.
     */
    public static Map<String, String> readTexts(Path dirOrFile) throws RuleException {
        return readFiles(Files.isDirectory(dirOrFile) ? ruleFiles(dirOrFile) : List.of(dirOrFile));
    }

    private static List<Path> ruleFiles(Path dirOrFile) throws RuleException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(dirOrFile)) {
            files = listing.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new RuleException(List.of(new RuleProblem(dirOrFile.toString(), 0, 0,
                    "cannot list the rule directory: " + describe(e))));
        }
        if (files.isEmpty()) {
            throw new RuleException(List.of(new RuleProblem(dirOrFile.toString(), 0, 0, "no rule files (*.yaml) here")));
        }
        return files;
    }

    private static Map<String, String> readFiles(List<Path> files) throws RuleException {
        List<RuleProblem> problems = new ArrayList<>();
        Map<String, String> texts = readFiles(files, problems);
        if (!problems.isEmpty()) {
            throw sorted(problems);
        }
        return texts;
    }

    private static Map<String, String> readFiles(List<Path> files, List<RuleProblem> problems) {
        Map<String, String> texts = new LinkedHashMap<>();
        for (Path file : files) {
            try {
                texts.put(file.toString(), readText(file));
            } catch (IOException e) {
                problems.add(new RuleProblem(file.toString(), 0, 0, "cannot read: " + describe(e)));
            }
        }
        return texts;
    }

    /**
     * Several files' texts (source name → text, in order) checked together, as {@link #parseFiles}
     * does; {@link RulesSnapshot} keeps the texts a running job was built from.
     */
    public static List<Rule> parseTexts(Map<String, String> texts) throws RuleException {
        return parseTexts(texts, new ArrayList<>());
    }

    private static List<Rule> parseTexts(Map<String, String> texts, List<RuleProblem> problems) throws RuleException {
        List<Rule> rules = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Map.Entry<String, String> file : texts.entrySet()) {
            int before = problems.size();
            List<Rule> parsed = parse(file.getValue(), file.getKey(), problems);
            if (problems.size() == before) {
                for (Rule rule : parsed) {
                    String earlier = seen.putIfAbsent(rule.id(), file.getKey());
                    if (earlier != null) {
                        problems.add(new RuleProblem(file.getKey(), 1, 1,
                                "duplicate rule id '" + rule.id() + "' (also in " + earlier + ")"));
                    }
                }
                rules.addAll(parsed);
            }
        }
        if (!problems.isEmpty()) {
            throw sorted(problems);
        }
        return rules;
    }

    /** The rules of one file's text. */
    public static List<Rule> parse(String text, String sourceName) throws RuleException {
        List<RuleProblem> problems = new ArrayList<>();
        List<Rule> rules = parse(text, sourceName, problems);
        if (!problems.isEmpty()) {
            throw sorted(problems);
        }
        return rules;
    }

    private static List<Rule> parse(String text, String sourceName, List<RuleProblem> problems) {
        RuleParser parser = new RuleParser(sourceName, text, problems);
        try {
            return parser.file(text);
        } catch (RuntimeException e) {
            // A bug of ours must still not reach the user as a stack trace.
            problems.add(new RuleProblem(sourceName, 0, 0, "internal error while checking: " + e));
            return List.of();
        }
    }

    private List<Rule> file(String text) {
        Node root;
        try {
            root = YamlTree.parse(text, source);
        } catch (PlanException e) {
            for (PlanProblem p : e.details()) {
                problems.add(new RuleProblem(source, p.line(), p.column(),
                        p.reason().replace("a plan file holds", "a rule file holds").replace("in plans", "in rule files")
                                .replace("; a plan is flat", "")));
            }
            return List.of();
        }
        if (root == null) {
            add(Position.START, "empty rule file; expected 'rules:' with a list of rules");
            return List.of();
        }
        if (!(root instanceof MapNode map)) {
            add(root.position(), "a rule file is a mapping ('rules: [...]' or one rule with 'id:'), not " + root.describe());
            return List.of();
        }
        List<Rule> rules = new ArrayList<>();
        if (map.field("rules") != null) {
            for (Field f : map.fields().values()) {
                if (!f.name().equals("rules")) {
                    add(f.keyPosition(), "unknown top-level field '" + f.name() + "'; a rule file holds 'rules:' only");
                }
            }
            Node list = map.field("rules").value();
            if (!(list instanceof ListNode items) || items.items().isEmpty()) {
                add(list.position(), "'rules' must be a non-empty list of rules, not " + list.describe());
                return List.of();
            }
            Set<String> ids = new HashSet<>();
            for (Node item : items.items()) {
                Rule rule = rule(item);
                if (rule != null) {
                    if (!ids.add(rule.id())) {
                        add(item.position(), "duplicate rule id '" + rule.id() + "'");
                    }
                    rules.add(rule);
                }
            }
        } else {
            Rule rule = rule(map);
            if (rule != null) {
                rules.add(rule);
            }
        }
        return rules;
    }

    private Rule rule(Node node) {
        if (!(node instanceof MapNode map)) {
            add(node.position(), "a rule is a mapping of fields such as 'id: ...', not " + node.describe());
            return null;
        }
        int before = problems.size();
        unknownFields(map, RULE_FIELDS, "rule");
        String id = requiredText(map, "id");
        if (id != null && !ID.matcher(id).matches()) {
            add(map.field("id").value().position(), "rule id '" + id + "' must be lower-case letters, digits and '-' (at most 63)");
        }
        String description = optionalText(map, "description", "");
        Severity severity = choice(map, "severity", Severity.class, true);
        Effect effect = choice(map, "effect", Effect.class, true);
        boolean dryRun = bool(map, "dryRun", false);
        InputKind input = choice(map, "input", InputKind.class, false);
        if (input == null) {
            input = InputKind.TELEMETRY;
        }
        List<String> cohorts = List.of();
        List<String> releases = List.of();
        Field scope = map.field("scope");
        if (scope != null) {
            if (scope.value() instanceof MapNode scopeMap) {
                unknownFields(scopeMap, SCOPE_FIELDS, "scope");
                cohorts = textList(scopeMap, "cohorts");
                for (int i = 0; i < cohorts.size(); i++) {
                    if (!cohorts.get(i).equals("canary") && !cohorts.get(i).equals("baseline")) {
                        add(((ListNode) scopeMap.field("cohorts").value()).items().get(i).position(),
                                "unknown cohort '" + cohorts.get(i) + "' (known: canary, baseline)");
                    }
                }
                if (input == InputKind.METRICS && !cohorts.isEmpty()) {
                    add(scopeMap.field("cohorts").keyPosition(), "a metrics rule compares both cohorts; scope.cohorts applies to telemetry rules only");
                }
                releases = textList(scopeMap, "releases");
            } else {
                add(scope.value().position(), "'scope' must be a mapping {cohorts: [...], releases: [...]}, not " + scope.value().describe());
            }
        }
        List<String> key = key(map, input);
        Map<String, Object> params = params(map);
        Duration within = duration(map, "within", null);
        if (map.field("within") == null) {
            add(map.position(), "missing 'within': every pattern needs a time bound (e.g. within: 1m), or its partial matches live forever");
        } else if (within != null && within.isZero()) {
            add(map.field("within").value().position(), "'within' must be longer than 0");
        }
        Duration cooldown = duration(map, "cooldown", within);
        Duration holdFor = duration(map, "holdFor", within == null || within.compareTo(DEFAULT_HOLD) < 0 ? DEFAULT_HOLD : within);
        List<Step> steps = steps(map, input, params);
        String filter = null;
        if (map.field("filter") != null) {
            filter = requiredText(map, "filter");
            if (filter != null) {
                checkExpression(RuleSchema.compiler(input, SimpleType.BOOL), map.field("filter").value(), filter, params, "filter");
            }
        }
        AfterMatch afterMatch = afterMatch(map, steps);
        Map<String, String> values = values(map, input, params);
        String message = requiredText(map, "message");
        if (message != null) {
            checkMessage(map.field("message").value(), message, params, values);
        }
        if (problems.size() > before) {
            return null;
        }
        Rule rule = new Rule(id, description, severity, effect, dryRun, input, cohorts, releases, filter, key, params, steps,
                within, afterMatch, cooldown, holdFor, message, values, source);
        String flinkProblem = RuleCompiler.check(rule);
        if (flinkProblem != null) {
            add(map.field("pattern").keyPosition(), "Flink CEP refuses this pattern: " + flinkProblem);
            return null;
        }
        return rule;
    }

    private List<String> key(MapNode map, InputKind input) {
        Field field = map.field("key");
        if (field == null) {
            return input == InputKind.TELEMETRY ? List.of("release", "cohort") : List.of("release");
        }
        List<String> key = textList(map, "key");
        if (input == InputKind.METRICS) {
            if (!key.equals(List.of("release"))) {
                add(field.value().position(), "a metrics rule is keyed by release only (key: [release])");
            }
            return key;
        }
        List<String> ordered = new ArrayList<>(List.of("release"));
        for (int i = 0; i < key.size(); i++) {
            String k = key.get(i);
            if (!TELEMETRY_KEYS.contains(k)) {
                add(((ListNode) field.value()).items().get(i).position(),
                        "unknown key field '" + k + "' (known: " + String.join(", ", TELEMETRY_KEYS) + ")");
            } else if (!ordered.contains(k)) {
                ordered.add(k);
            }
        }
        return ordered;
    }

    private Map<String, Object> params(MapNode map) {
        Map<String, Object> params = new LinkedHashMap<>();
        Field field = map.field("params");
        if (field == null) {
            return params;
        }
        if (!(field.value() instanceof MapNode paramMap)) {
            add(field.value().position(), "'params' must be a mapping of names to numbers, texts or booleans, not " + field.value().describe());
            return params;
        }
        for (Field p : paramMap.fields().values()) {
            if (!(p.value() instanceof ScalarNode scalar) || scalar.isNull()) {
                add(p.value().position(), "param '" + p.name() + "' must be a number, a text or a boolean, not " + p.value().describe());
            } else if (scalar.isNumber()) {
                params.put(p.name(), scalar.number().doubleValue());
            } else if (scalar.token() == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE
                    || scalar.token() == com.fasterxml.jackson.core.JsonToken.VALUE_FALSE) {
                params.put(p.name(), Boolean.parseBoolean(scalar.text()));
            } else {
                params.put(p.name(), scalar.text());
            }
        }
        return params;
    }

    private List<Step> steps(MapNode map, InputKind input, Map<String, Object> params) {
        Field field = map.field("pattern");
        List<Step> steps = new ArrayList<>();
        if (field == null) {
            add(map.position(), "missing 'pattern': a list of steps, each with a name and a condition");
            return steps;
        }
        if (!(field.value() instanceof ListNode list) || list.items().isEmpty()) {
            add(field.value().position(), "'pattern' must be a non-empty list of steps, not " + field.value().describe());
            return steps;
        }
        if (list.items().size() > MAX_STEPS) {
            add(field.value().position(), "a pattern has at most " + MAX_STEPS + " steps, this one " + list.items().size());
            return steps;
        }
        CelCompiler compiler = RuleSchema.compiler(input, SimpleType.BOOL);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.items().size(); i++) {
            Node node = list.items().get(i);
            if (!(node instanceof MapNode step)) {
                add(node.position(), "a step is a mapping with 'name' and 'condition', not " + node.describe());
                continue;
            }
            boolean first = i == 0;
            boolean last = i == list.items().size() - 1;
            unknownFields(step, STEP_FIELDS, "step");
            String name = requiredText(step, "name");
            if (name != null && !names.add(name)) {
                add(step.field("name").value().position(), "duplicate step name '" + name + "'");
            }
            String condition = requiredText(step, "condition");
            if (condition != null) {
                checkExpression(compiler, step.field("condition").value(), condition, params, "condition");
            }
            Contiguity contiguity = null;
            Field c = step.field("contiguity");
            if (c != null) {
                String text = scalarText(c.value());
                contiguity = text == null ? null : Contiguity.of(text);
                if (first) {
                    add(c.keyPosition(), "the first step has no 'contiguity' (there is no step before it)");
                    contiguity = null;
                } else if (contiguity == null) {
                    add(c.value().position(), "unknown contiguity '" + (text == null ? c.value().describe() : text)
                            + "' (known: " + Contiguity.known() + ")" + hint(text, contiguityNames()));
                }
            } else if (!first) {
                contiguity = Contiguity.FOLLOWED_BY;
            }
            Integer min = null;
            Integer max = null;
            Field times = step.field("times");
            Field timesOrMore = step.field("timesOrMore");
            boolean oneOrMore = bool(step, "oneOrMore", false);
            int quantifiers = (times != null ? 1 : 0) + (timesOrMore != null ? 1 : 0) + (oneOrMore ? 1 : 0);
            if (quantifiers > 1) {
                add(step.position(), "a step takes one of 'times', 'timesOrMore' and 'oneOrMore', not several");
            }
            if (times != null) {
                if (times.value() instanceof ListNode range) {
                    if (range.items().size() != 2) {
                        add(range.position(), "'times' is a count or a range [min, max], not a list of " + range.items().size());
                    } else {
                        min = positiveInt(range.items().get(0), "times minimum", 1);
                        max = positiveInt(range.items().get(1), "times maximum", 1);
                        if (min != null && max != null && min > max) {
                            add(range.position(), "impossible quantifier: times [" + min + ", " + max + "] has its minimum above its maximum");
                            min = null;
                        }
                    }
                } else {
                    min = positiveInt(times.value(), "times", 1);
                    max = min;
                }
            } else if (timesOrMore != null) {
                min = positiveInt(timesOrMore.value(), "timesOrMore", 1);
                max = Integer.MAX_VALUE;
            } else if (oneOrMore) {
                min = 1;
                max = Integer.MAX_VALUE;
            }
            boolean looping = min != null || quantifiers > 0;
            boolean optional = bool(step, "optional", false);
            boolean greedy = bool(step, "greedy", false);
            boolean consecutive = bool(step, "consecutive", false);
            boolean allowCombinations = bool(step, "allowCombinations", false);
            for (String flag : List.of("greedy", "consecutive", "allowCombinations")) {
                Field f = step.field(flag);
                if (f != null && bool(step, flag, false) && !looping) {
                    add(f.keyPosition(), "'" + flag + "' applies to a looping step (times, timesOrMore or oneOrMore) only");
                }
            }
            if (consecutive && allowCombinations) {
                add(step.field("allowCombinations").keyPosition(), "a step cannot be both 'consecutive' and 'allowCombinations'");
            }
            if (contiguity != null && contiguity.negative()) {
                if (looping || optional) {
                    add(step.position(), "a " + contiguity.yaml() + " step matches the absence of an event: it takes no quantifier and cannot be optional");
                }
                if (last && contiguity == Contiguity.NOT_NEXT) {
                    add(c.value().position(), "a pattern cannot end with notNext; end it with notFollowedBy (and within) instead");
                }
            }
            if (first && optional && last) {
                add(step.field("optional").keyPosition(), "a pattern of one optional step would match nothing");
            }
            if (last && greedy) {
                add(step.field("greedy").keyPosition(), "Flink CEP does not allow a greedy last step; add a step after it or drop 'greedy'");
            }
            steps.add(new Step(name, condition, contiguity, min, max, optional, greedy, consecutive, allowCombinations,
                    step.position().line()));
        }
        return steps;
    }

    private static List<String> contiguityNames() {
        return Stream.of(Contiguity.values()).map(Contiguity::yaml).toList();
    }

    private AfterMatch afterMatch(MapNode map, List<Step> steps) {
        Field field = map.field("afterMatch");
        if (field == null) {
            return AfterMatch.DEFAULT;
        }
        if (field.value() instanceof MapNode m && m.fields().size() == 1) {
            Field only = m.fields().values().iterator().next();
            AfterMatch.Kind kind = switch (only.name()) {
                case "skipToFirst" -> AfterMatch.Kind.SKIP_TO_FIRST;
                case "skipToLast" -> AfterMatch.Kind.SKIP_TO_LAST;
                default -> null;
            };
            String step = scalarText(only.value());
            if (kind == null) {
                add(only.keyPosition(), "unknown afterMatch '" + only.name() + "' (known: noSkip, skipToNext, skipPastLastEvent, skipToFirst: STEP, skipToLast: STEP)");
                return AfterMatch.DEFAULT;
            }
            if (step == null || steps.stream().noneMatch(s -> step.equals(s.name()))) {
                add(only.value().position(), only.name() + " names no step of this pattern: " + only.value().describe());
                return AfterMatch.DEFAULT;
            }
            return new AfterMatch(kind, step);
        }
        String text = scalarText(field.value());
        AfterMatch.Kind kind = text == null ? null : switch (text) {
            case "noSkip" -> AfterMatch.Kind.NO_SKIP;
            case "skipToNext" -> AfterMatch.Kind.SKIP_TO_NEXT;
            case "skipPastLastEvent" -> AfterMatch.Kind.SKIP_PAST_LAST_EVENT;
            default -> null;
        };
        if (kind == null) {
            add(field.value().position(), "unknown afterMatch " + field.value().describe()
                    + " (known: noSkip, skipToNext, skipPastLastEvent, {skipToFirst: STEP}, {skipToLast: STEP})");
            return AfterMatch.DEFAULT;
        }
        return new AfterMatch(kind, null);
    }

    private Map<String, String> values(MapNode map, InputKind input, Map<String, Object> params) {
        Map<String, String> values = new LinkedHashMap<>();
        Field field = map.field("values");
        if (field == null) {
            return values;
        }
        if (!(field.value() instanceof MapNode valueMap)) {
            add(field.value().position(), "'values' must be a mapping of names to CEL expressions, not " + field.value().describe());
            return values;
        }
        CelCompiler compiler = RuleSchema.compiler(input, SimpleType.DOUBLE);
        for (Field v : valueMap.fields().values()) {
            String expr = scalarText(v.value());
            if (expr == null || expr.isBlank()) {
                add(v.value().position(), "value '" + v.name() + "' must be a CEL expression of type double, not " + v.value().describe());
                continue;
            }
            if (MESSAGE_NAMES.contains(v.name())) {
                add(v.keyPosition(), "value name '" + v.name() + "' is taken by a built-in message placeholder");
            }
            checkExpression(compiler, v.value(), expr, params, "value");
            values.put(v.name(), expr);
        }
        return values;
    }

    private void checkMessage(Node node, String message, Map<String, Object> params, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(message);
        while (m.find()) {
            String name = m.group(1).strip();
            boolean known = MESSAGE_NAMES.contains(name) || values.containsKey(name)
                    || (name.startsWith("params.") && params.containsKey(name.substring(7)));
            if (!known) {
                List<String> candidates = new ArrayList<>(MESSAGE_NAMES);
                candidates.addAll(values.keySet());
                params.keySet().forEach(p -> candidates.add("params." + p));
                Position at = offsetPosition(node, message, m.start());
                add(at, "unknown message placeholder {" + name + "} (known: " + String.join(", ", candidates) + ")"
                        + hint(name, candidates));
            }
        }
    }

    /** Compiles a CEL expression and checks field names on canary/baseline/params. */
    private void checkExpression(CelCompiler compiler, Node node, String expr, Map<String, Object> params, String what) {
        CelValidationResult result;
        try {
            result = compiler.compile(expr);
        } catch (RuntimeException e) {
            add(node.position(), "CEL " + what + " cannot be compiled: " + e.getMessage());
            return;
        }
        if (result.hasError()) {
            for (CelIssue issue : result.getAllIssues()) {
                if (issue.getSeverity() != CelIssue.Severity.ERROR) {
                    continue;
                }
                CelSourceLocation loc = issue.getSourceLocation();
                Position at = loc == CelSourceLocation.NONE ? node.position() : celPosition(node, expr, loc.getLine(), loc.getColumn());
                String message = issue.getMessage();
                String kind = message.startsWith("mismatched input") || message.startsWith("extraneous input")
                        || message.startsWith("token recognition") || message.startsWith("no viable") ? "CEL syntax error" : "CEL type error";
                if (message.startsWith("expected type 'bool'") || message.startsWith("expected type 'double'")) {
                    message = "a " + what + " must be of type " + (what.equals("condition") ? "bool" : "double")
                            + message.substring(message.indexOf(" but"));
                }
                add(at, kind + " in " + what + ": " + message.replace(" (in container '')", "")
                        + undeclaredHint(message, what));
            }
            return;
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = result.getAst();
        } catch (Exception e) {
            add(node.position(), "CEL " + what + " cannot be compiled: " + e.getMessage());
            return;
        }
        CelNavigableAst.fromAst(ast).getRoot().allNodes()
                .filter(n -> n.expr().getKind() == CelExpr.ExprKind.Kind.SELECT)
                .forEach(n -> {
                    CelExpr.CelSelect select = n.expr().select();
                    if (select.operand().getKind() != CelExpr.ExprKind.Kind.IDENT) {
                        return;
                    }
                    String operand = select.operand().ident().name();
                    String fieldName = select.field();
                    Collection<String> known = operand.equals("params") ? params.keySet()
                            : RuleSchema.METRIC_MAPS.contains(operand) ? RuleSchema.METRIC_FIELDS : null;
                    if (known == null || known.contains(fieldName)) {
                        return;
                    }
                    Integer offset = ast.getSource().getPositionsMap().get(n.expr().id());
                    Position at = node.position();
                    if (offset != null) {
                        CelSourceLocation loc = ast.getSource().getOffsetLocation(offset).orElse(CelSourceLocation.NONE);
                        if (loc != CelSourceLocation.NONE) {
                            at = celPosition(node, expr, loc.getLine(), loc.getColumn());
                        }
                    }
                    add(at, operand.equals("params")
                            ? "unknown param '" + fieldName + "' (this rule's params: " + String.join(", ", params.keySet()) + ")" + hint(fieldName, params.keySet())
                            : "unknown metric '" + operand + "." + fieldName + "' (known: " + String.join(", ", RuleSchema.METRIC_FIELDS) + ")"
                                    + hint(fieldName, RuleSchema.METRIC_FIELDS));
                });
    }

    private String undeclaredHint(String message, String what) {
        Matcher m = Pattern.compile("undeclared reference to '([^']+)'").matcher(message);
        if (!m.find()) {
            return "";
        }
        return hint(m.group(1), List.copyOf(RuleSchema.variables(InputKind.TELEMETRY).keySet()))
                + hint(m.group(1), List.of("canary", "baseline", "windowSeconds"));
    }

    private static String hint(String given, Collection<String> known) {
        if (given == null) {
            return "";
        }
        return PlanParser.suggestion(given, known).map(s -> "; did you mean '" + s + "'?").orElse("");
    }

    /**
     * Where a CEL line/column (line from 1, column from 0) lies in the YAML file: inside a plain or
     * quoted scalar on the key's line, or inside a block scalar ({@code |}, {@code >}) below it.
     */
    private Position celPosition(Node node, String expr, int celLine, int celColumn) {
        Position at = node.position();
        String line = at.line() - 1 < lines.size() ? lines.get(at.line() - 1) : "";
        int col = at.column() - 1;
        char first = col < line.length() ? line.charAt(col) : ' ';
        if (first == '|' || first == '>') {
            int blockLine = at.line() + celLine; // the block starts on the line below the indicator
            String text = blockLine - 1 < lines.size() ? lines.get(blockLine - 1) : "";
            int indent = 0;
            while (indent < text.length() && text.charAt(indent) == ' ') {
                indent++;
            }
            return new Position(blockLine, indent + celColumn + 1);
        }
        int quote = first == '"' || first == '\'' ? 1 : 0;
        if (celLine > 1) {
            return new Position(at.line() + celLine - 1, celColumn + 1);
        }
        return new Position(at.line(), at.column() + quote + celColumn);
    }

    private Position offsetPosition(Node node, String text, int offset) {
        int lineNo = 1;
        int col = 0;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lineNo++;
                col = 0;
            } else {
                col++;
            }
        }
        return celPosition(node, text, lineNo, col);
    }

    private void unknownFields(MapNode map, List<String> known, String what) {
        for (Field f : map.fields().values()) {
            if (!known.contains(f.name())) {
                add(f.keyPosition(), "unknown " + what + " field '" + f.name() + "'" + hint(f.name(), known)
                        + " (known: " + String.join(", ", known) + ")");
            }
        }
    }

    private String requiredText(MapNode map, String name) {
        Field f = map.field(name);
        if (f == null) {
            add(map.position(), "missing '" + name + "'");
            return null;
        }
        String text = scalarText(f.value());
        if (text == null || text.isBlank()) {
            add(f.value().position(), "'" + name + "' must be a non-empty text, not " + f.value().describe());
            return null;
        }
        return text;
    }

    private String optionalText(MapNode map, String name, String fallback) {
        Field f = map.field(name);
        if (f == null) {
            return fallback;
        }
        String text = scalarText(f.value());
        if (text == null) {
            add(f.value().position(), "'" + name + "' must be a text, not " + f.value().describe());
            return fallback;
        }
        return text;
    }

    private static String scalarText(Node node) {
        return node instanceof ScalarNode s && !s.isNull() ? s.text() : null;
    }

    private <E extends Enum<E>> E choice(MapNode map, String name, Class<E> type, boolean required) {
        Field f = map.field(name);
        List<String> known = Stream.of(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        if (f == null) {
            if (required) {
                add(map.position(), "missing '" + name + "' (one of " + String.join(", ", known) + ")");
            }
            return null;
        }
        String text = scalarText(f.value());
        if (text != null && known.contains(text)) {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        }
        add(f.value().position(), "unknown " + name + " " + f.value().describe() + " (known: " + String.join(", ", known) + ")"
                + hint(text, known));
        return null;
    }

    private boolean bool(MapNode map, String name, boolean fallback) {
        Field f = map.field(name);
        if (f == null) {
            return fallback;
        }
        if (f.value() instanceof ScalarNode s && (s.token() == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE
                || s.token() == com.fasterxml.jackson.core.JsonToken.VALUE_FALSE)) {
            return Boolean.parseBoolean(s.text());
        }
        add(f.value().position(), "'" + name + "' must be true or false, not " + f.value().describe());
        return fallback;
    }

    private Duration duration(MapNode map, String name, Duration fallback) {
        Field f = map.field(name);
        if (f == null) {
            return fallback;
        }
        String text = scalarText(f.value());
        try {
            Duration d = Durations.parse(text);
            if (d.isNegative()) {
                throw new IllegalArgumentException("negative");
            }
            return d;
        } catch (IllegalArgumentException e) {
            add(f.value().position(), "'" + name + "' must be a duration such as 30s, 5m, 1h30m, not " + f.value().describe());
            return fallback;
        }
    }

    private Integer positiveInt(Node node, String what, int least) {
        if (node instanceof ScalarNode s && s.isNumber() && s.token() == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT) {
            long v = s.number().longValue();
            if (v < least) {
                add(node.position(), "impossible quantifier: " + what + " " + v + " (must be at least " + least + ")");
                return null;
            }
            if (v > 10_000) {
                add(node.position(), what + " " + v + " is too large (at most 10000): CEP keeps every matched event until the match completes");
                return null;
            }
            return (int) v;
        }
        add(node.position(), what + " must be a whole number, not " + node.describe());
        return null;
    }

    private List<String> textList(MapNode map, String name) {
        Field f = map.field(name);
        if (f == null) {
            return List.of();
        }
        if (!(f.value() instanceof ListNode list)) {
            add(f.value().position(), "'" + name + "' must be a list of texts, not " + f.value().describe());
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Node item : list.items()) {
            String text = scalarText(item);
            if (text == null) {
                add(item.position(), "'" + name + "' items must be texts, not " + item.describe());
            } else {
                out.add(text);
            }
        }
        return out;
    }

    private void add(Position at, String reason) {
        problems.add(new RuleProblem(source, at.line(), at.column(), reason.replace('\n', ' ').strip()));
    }

    private static RuleException sorted(List<RuleProblem> problems) {
        List<RuleProblem> copy = new ArrayList<>(problems);
        copy.sort(null);
        return new RuleException(copy);
    }

    private static String readText(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("not UTF-8 text");
        }
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Used by the message formatter: the placeholders of a template. */
    public static List<String> placeholders(String message) {
        List<String> names = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(message);
        while (m.find()) {
            names.add(m.group(1).strip());
        }
        return names;
    }
}
