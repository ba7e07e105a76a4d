package io.graylight.notify;

import io.graylight.contracts.alert.Effect;
import io.graylight.contracts.alert.Severity;
import io.graylight.contracts.decision.Action;
import io.graylight.notify.WebhookTarget.AlertFilter;
import io.graylight.notify.WebhookTarget.DecisionFilter;
import io.graylight.notify.WebhookTarget.Kind;
import io.graylight.notify.WebhookTarget.RateLimit;
import io.graylight.notify.WebhookTarget.Retry;
import io.graylight.rollout.plan.PlanException;
import io.graylight.rollout.plan.PlanProblem;
import io.graylight.rollout.plan.YamlTree;
import io.graylight.rollout.plan.YamlTree.Field;
import io.graylight.rollout.plan.YamlTree.ListNode;
import io.graylight.rollout.plan.YamlTree.MapNode;
import io.graylight.rollout.plan.YamlTree.Node;
import io.graylight.rollout.plan.YamlTree.ScalarNode;
import io.graylight.simulator.Durations;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code notifications.yaml} and refuses it, with every problem as {@code file:line:column:
 * reason}, unless it is fully valid (the rollout plan's {@link YamlTree}: duplicate keys and aliases
 * are refused too). A {@code ${NAME}} in a URL is replaced by the environment variable, so webhook
 * secrets stay out of the file.
 *
 * <pre>
 * dedupeWindow: 10m                    # a repeated alert id / release+seq within it is sent once
 * targets:
 *   - name: oncall
 *     kind: slack                      # slack | generic
 *     url: ${SLACK_WEBHOOK_URL}
 *     alerts: {severities: [critical, warning], effects: [rollback, hold], dryRun: false}   # or all | none
 *     decisions: {actions: [ROLLBACK, HOLD, COMPLETE]}                                  # or all | none
 *     rateLimit: {count: 20, per: 1m}  # token bucket; beyond it notifications are dropped and counted
 *     queueCapacity: 1000              # pending deliveries; beyond it dropped and counted
 *     timeout: 10s
 *     retry: {maxAttempts: 5, initialBackoff: 500ms, maxBackoff: 30s}
 * </pre>
 * Left out: alerts and decisions {@code all} (dry-run alerts excluded), the defaults above.
 */
public final class NotificationConfigParser {

    static final List<String> TOP_FIELDS = List.of("dedupeWindow", "targets");
    static final List<String> TARGET_FIELDS = List.of("name", "kind", "url", "alerts", "decisions", "rateLimit",
            "queueCapacity", "timeout", "retry");
    static final RateLimit DEFAULT_RATE_LIMIT = new RateLimit(20, Duration.ofMinutes(1));
    static final int DEFAULT_QUEUE_CAPACITY = 1000;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final Retry DEFAULT_RETRY = new Retry(5, Duration.ofMillis(500), Duration.ofSeconds(30));
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final String source;
    private final Function<String, String> environment;
    private final List<PlanProblem> problems = new ArrayList<>();

    private NotificationConfigParser(String source, Function<String, String> environment) {
        this.source = source;
        this.environment = environment;
    }

    public static NotificationConfig parse(Path file) throws NotificationConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new NotificationConfigException(List.of(new PlanProblem(file.toString(), 0, 0, "no such file")));
        } catch (IOException e) {
            throw new NotificationConfigException(List.of(new PlanProblem(file.toString(), 0, 0, "cannot read: " + e.getMessage())));
        }
        return parse(text, file.toString(), System::getenv);
    }

    /** @param environment looks up {@code ${NAME}} in URLs */
    public static NotificationConfig parse(String yaml, String source, Function<String, String> environment)
            throws NotificationConfigException {
        Node root;
        try {
            root = YamlTree.parse(yaml, source);
        } catch (PlanException e) {
            throw new NotificationConfigException(e.details());
        }
        NotificationConfigParser parser = new NotificationConfigParser(source, environment);
        if (!(root instanceof MapNode map)) {
            parser.add(root, "a notifications file is a mapping with 'targets: [...]'"
                    + (root == null ? "; this one is empty" : ", not " + root.describe()));
            throw new NotificationConfigException(parser.problems);
        }
        NotificationConfig config = parser.config(map);
        if (!parser.problems.isEmpty()) {
            throw new NotificationConfigException(parser.problems);
        }
        return config;
    }

    private NotificationConfig config(MapNode map) {
        unknownFields(map, TOP_FIELDS, "");
        Duration dedupe = duration(map.field("dedupeWindow"), NotificationConfig.DEFAULT_DEDUPE_WINDOW);
        Field targetsField = map.field("targets");
        List<WebhookTarget> targets = new ArrayList<>();
        if (targetsField == null) {
            add(map, "missing 'targets': a list of webhooks like [{name: oncall, kind: slack, url: https://...}]");
        } else if (!(targetsField.value() instanceof ListNode list) || list.items().isEmpty()) {
            add(targetsField.value(), "'targets' must be a non-empty list of webhooks, not " + targetsField.value().describe());
        } else {
            Map<String, Integer> names = new HashMap<>();
            for (Node item : list.items()) {
                WebhookTarget target = target(item);
                if (target != null) {
                    Integer first = names.putIfAbsent(target.name(), item.position().line());
                    if (first != null) {
                        add(((MapNode) item).field("name").value(), "duplicate target name '" + target.name() + "' (first at line " + first + ")");
                    }
                    targets.add(target);
                }
            }
        }
        return new NotificationConfig(dedupe, targets);
    }

    private WebhookTarget target(Node item) {
        if (!(item instanceof MapNode map)) {
            add(item, "each target is a mapping like {name: oncall, kind: slack, url: https://...}, not " + item.describe());
            return null;
        }
        int before = problems.size();
        unknownFields(map, TARGET_FIELDS, " in a target");
        String name = requiredText(map, "name", "a name such as oncall");
        Kind kind = null;
        String kindText = requiredText(map, "kind", "slack or generic");
        if (kindText != null) {
            try {
                kind = Kind.valueOf(kindText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                add(map.field("kind").value(), "unknown kind '" + kindText + "' (known: slack, generic)");
            }
        }
        URI url = url(map);
        AlertFilter alerts = alerts(map.field("alerts"));
        DecisionFilter decisions = decisions(map.field("decisions"));
        RateLimit rateLimit = rateLimit(map.field("rateLimit"));
        int queueCapacity = (int) wholeNumber(map.field("queueCapacity"), DEFAULT_QUEUE_CAPACITY, 1, 1_000_000);
        Duration timeout = duration(map.field("timeout"), DEFAULT_TIMEOUT);
        Retry retry = retry(map.field("retry"));
        if (problems.size() > before) {
            return null;
        }
        return new WebhookTarget(name, kind, url, alerts, decisions, rateLimit, queueCapacity, timeout, retry);
    }

    private URI url(MapNode map) {
        String text = requiredText(map, "url", "an http(s) URL");
        if (text == null) {
            return null;
        }
        Node at = map.field("url").value();
        Matcher m = ENV.matcher(text);
        StringBuilder expanded = new StringBuilder();
        while (m.find()) {
            String value = environment.apply(m.group(1));
            if (value == null || value.isBlank()) {
                add(at, "environment variable " + m.group(1) + " is not set (named in the url)");
                return null;
            }
            m.appendReplacement(expanded, Matcher.quoteReplacement(value));
        }
        m.appendTail(expanded);
        try {
            URI uri = new URI(expanded.toString().strip());
            if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null) {
                add(at, "url must be an absolute http or https URL, got '" + text + "'");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            add(at, "url is not a valid URL: " + e.getReason());
            return null;
        }
    }

    private AlertFilter alerts(Field field) {
        if (field == null) {
            return new AlertFilter(Set.of(), Set.of(), false);
        }
        if (field.value() instanceof ScalarNode s && s.isString()) {
            return switch (s.text()) {
                case "all" -> new AlertFilter(Set.of(), Set.of(), false);
                case "none" -> null;
                default -> {
                    add(s, "'alerts' is all, none or a mapping like {severities: [critical], effects: [rollback]}, not '" + s.text() + "'");
                    yield null;
                }
            };
        }
        if (!(field.value() instanceof MapNode map)) {
            add(field.value(), "'alerts' is all, none or a mapping like {severities: [critical], effects: [rollback]}");
            return null;
        }
        unknownFields(map, List.of("severities", "effects", "dryRun"), " in 'alerts'");
        Set<Severity> severities = enumList(map.field("severities"), Severity.class);
        Set<Effect> effects = enumList(map.field("effects"), Effect.class);
        boolean dryRun = false;
        Field dry = map.field("dryRun");
        if (dry != null) {
            if (dry.value() instanceof ScalarNode s && (s.text().equals("true") || s.text().equals("false")) && !s.isString()) {
                dryRun = Boolean.parseBoolean(s.text());
            } else {
                add(dry.value(), "'dryRun' is true or false, not " + dry.value().describe());
            }
        }
        return new AlertFilter(severities, effects, dryRun);
    }

    private DecisionFilter decisions(Field field) {
        if (field == null) {
            return new DecisionFilter(Set.of());
        }
        if (field.value() instanceof ScalarNode s && s.isString()) {
            return switch (s.text()) {
                case "all" -> new DecisionFilter(Set.of());
                case "none" -> null;
                default -> {
                    add(s, "'decisions' is all, none or a mapping like {actions: [ROLLBACK, HOLD]}, not '" + s.text() + "'");
                    yield null;
                }
            };
        }
        if (!(field.value() instanceof MapNode map)) {
            add(field.value(), "'decisions' is all, none or a mapping like {actions: [ROLLBACK, HOLD]}");
            return null;
        }
        unknownFields(map, List.of("actions"), " in 'decisions'");
        return new DecisionFilter(enumList(map.field("actions"), Action.class));
    }

    private <E extends Enum<E>> Set<E> enumList(Field field, Class<E> type) {
        Set<E> values = EnumSet.noneOf(type);
        if (field == null) {
            return values;
        }
        String known = String.join(", ", Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
        if (!(field.value() instanceof ListNode list)) {
            add(field.value(), "'" + field.name() + "' is a list (known values: " + known + "), not " + field.value().describe());
            return values;
        }
        for (Node item : list.items()) {
            if (!(item instanceof ScalarNode s) || !s.isString()) {
                add(item, "'" + field.name() + "' holds names (known: " + known + "), not " + item.describe());
                continue;
            }
            try {
                values.add(Enum.valueOf(type, s.text().strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                add(item, "unknown " + type.getSimpleName().toLowerCase(Locale.ROOT) + " '" + s.text() + "' (known: " + known + ")");
            }
        }
        return values;
    }

    private RateLimit rateLimit(Field field) {
        if (field == null) {
            return DEFAULT_RATE_LIMIT;
        }
        if (!(field.value() instanceof MapNode map)) {
            add(field.value(), "'rateLimit' is a mapping like {count: 20, per: 1m}, not " + field.value().describe());
            return null;
        }
        unknownFields(map, List.of("count", "per"), " in 'rateLimit'");
        long count = wholeNumber(map.field("count"), DEFAULT_RATE_LIMIT.count(), 1, 1_000_000);
        Duration per = duration(map.field("per"), DEFAULT_RATE_LIMIT.per());
        return new RateLimit((int) count, per);
    }

    private Retry retry(Field field) {
        if (field == null) {
            return DEFAULT_RETRY;
        }
        if (!(field.value() instanceof MapNode map)) {
            add(field.value(), "'retry' is a mapping like {maxAttempts: 5, initialBackoff: 500ms, maxBackoff: 30s}, not "
                    + field.value().describe());
            return null;
        }
        unknownFields(map, List.of("maxAttempts", "initialBackoff", "maxBackoff"), " in 'retry'");
        int attempts = (int) wholeNumber(map.field("maxAttempts"), DEFAULT_RETRY.maxAttempts(), 1, 50);
        Duration initial = duration(map.field("initialBackoff"), DEFAULT_RETRY.initialBackoff());
        Duration max = duration(map.field("maxBackoff"), DEFAULT_RETRY.maxBackoff());
        if (initial != null && max != null && initial.compareTo(max) > 0) {
            add(map.field("maxBackoff") != null ? map.field("maxBackoff").value() : map,
                    "maxBackoff " + max.toMillis() + " ms is below initialBackoff " + initial.toMillis() + " ms");
        }
        return new Retry(attempts, initial, max);
    }

    private Duration duration(Field field, Duration fallback) {
        if (field == null) {
            return fallback;
        }
        if (field.value() instanceof ScalarNode s && !s.isNull()) {
            try {
                Duration d = Durations.parse(s.text());
                if (!d.isZero() && !d.isNegative()) {
                    return d;
                }
                add(s, "'" + field.name() + "' must be positive, got " + s.text());
                return fallback;
            } catch (IllegalArgumentException e) {
                // reported below
            }
        }
        add(field.value(), "'" + field.name() + "' is a duration such as 500ms, 30s or 10m, not " + field.value().describe());
        return fallback;
    }

    private long wholeNumber(Field field, long fallback, long min, long max) {
        if (field == null) {
            return fallback;
        }
        if (field.value() instanceof ScalarNode s && s.isNumber()
                && s.number().doubleValue() == Math.rint(s.number().doubleValue())) {
            long value = s.number().longValue();
            if (value >= min && value <= max) {
                return value;
            }
            add(s, "'" + field.name() + "' must be between " + min + " and " + max + ", got " + s.text());
            return fallback;
        }
        add(field.value(), "'" + field.name() + "' is a whole number, not " + field.value().describe());
        return fallback;
    }

    private String requiredText(MapNode map, String name, String what) {
        Field field = map.field(name);
        if (field == null) {
            add(map, "target without '" + name + "' (" + what + ")");
            return null;
        }
        if (field.value() instanceof ScalarNode s && !s.isNull() && !s.text().isBlank()) {
            return s.text().strip();
        }
        add(field.value(), "'" + name + "' must be " + what + ", not " + field.value().describe());
        return null;
    }

    private void unknownFields(MapNode map, List<String> known, String where) {
        for (Field field : map.fields().values()) {
            if (!known.contains(field.name())) {
                add(field.keyPosition(), "unknown field '" + field.name() + "'" + where + " (known: " + String.join(", ", known) + ")");
            }
        }
    }

    private void add(Node at, String reason) {
        add(at == null ? YamlTree.Position.START : at.position(), reason);
    }

    private void add(YamlTree.Position at, String reason) {
        problems.add(new PlanProblem(source, at.line(), at.column(), reason));
    }
}
