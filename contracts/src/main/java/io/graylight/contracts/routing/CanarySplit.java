package io.graylight.contracts.routing;

import io.graylight.contracts.decision.Strategy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who gets the canary under one decision: its strategy and canary percent, checked once when the
 * decision arrives so that routing a request is a hash and a few comparisons. Shared by the
 * router and anything that routes like it (simulator, benchmarks).
 *
 * <p>Every strategy is sticky and monotone: a user's {@link CohortAssignment#bucket bucket}
 * decides, so the same users stay in the canary as the percent grows.
 * <ul>
 *   <li>{@code percentage}: the users in the lowest {@code p} % of buckets.</li>
 *   <li>{@code segment} and {@code priority} {@code {attribute, order: [v1, .., vn]}}: the values
 *       join in order as the percent grows, each filling up before the next one starts, so that
 *       with equally large segments the canary gets {@code p} % of all traffic (what the rollout
 *       plans document). Value {@code i} (from 0) serves the canary to
 *       {@code clamp(p * n - 100 * i, 0, 100)} % of its users: with [eu-west, us-east, ap-south],
 *       at 2 % eu-west users get 6 %, at 30 % eu-west 90 %, at 60 % eu-west all and us-east 80 %.
 *       Users whose attribute is missing or not listed get the canary only at 100 %.</li>
 *   <li>{@code schedule} {@code {windows: [..]}}: percentage, but only inside one of the
 *       {@link ScheduleWindow}s; outside them everyone gets the baseline.</li>
 *   <li>{@code smart} {@code {model, minScore}}: the top {@code p} % of scored users by
 *       {@link TargetingRanking rank}, and of those only the ones scored at least {@code minScore};
 *       users without a score stay on the baseline.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class CanarySplit {

    /** The split that serves the baseline only. */
    public static final CanarySplit BASELINE_ONLY = new CanarySplit("percentage", 0.0, null, List.of(), List.of(), 0.0);

    private final String type;
    private final double canaryPercent;
    private final String attribute;
    private final List<String> order;
    private final List<ScheduleWindow> windows;
    private final double minScore;

    private CanarySplit(String type, double canaryPercent, String attribute, List<String> order,
            List<ScheduleWindow> windows, double minScore) {
        this.type = type;
        this.canaryPercent = canaryPercent;
        this.attribute = attribute;
        this.order = order;
        this.windows = windows;
        this.minScore = minScore;
    }

    /**
     * The split of a decision's strategy at {@code canaryPercent}.
     *
     * @throws IllegalArgumentException naming the problem when the strategy is unknown or misses
     *     a parameter (a router then serves the baseline only: it cannot know who is eligible)
     */
    public static CanarySplit of(Strategy strategy, double canaryPercent) {
        if (!(canaryPercent >= 0.0 && canaryPercent <= 100.0)) {
            throw new IllegalArgumentException("canary percent must be in [0, 100]: " + canaryPercent);
        }
        Strategy s = strategy == null ? Strategy.percentage() : strategy;
        Map<String, Object> p = s.parameters();
        return switch (s.type()) {
            case "percentage" -> new CanarySplit("percentage", canaryPercent, null, List.of(), List.of(), 0.0);
            case "segment", "priority" -> {
                String attribute = text(p, s.type(), "attribute");
                List<String> order = texts(p, s.type(), "order");
                if (order.isEmpty()) {
                    throw new IllegalArgumentException(s.type() + " strategy: 'order' is empty");
                }
                yield new CanarySplit(s.type(), canaryPercent, attribute, order, List.of(), 0.0);
            }
            case "schedule" -> {
                List<ScheduleWindow> windows = new ArrayList<>();
                for (String window : texts(p, "schedule", "windows")) {
                    windows.add(ScheduleWindow.parse(window));
                }
                yield new CanarySplit("schedule", canaryPercent, null, List.of(), List.copyOf(windows), 0.0);
            }
            case "smart" -> {
                Object min = p.get("minScore");
                if (!(min instanceof Number number) || !(number.doubleValue() >= 0 && number.doubleValue() <= 1)) {
                    throw new IllegalArgumentException("smart strategy: 'minScore' must be a number in [0, 1], not " + min);
                }
                yield new CanarySplit("smart", canaryPercent, null, List.of(), List.of(), number.doubleValue());
            }
            default -> throw new IllegalArgumentException("unknown strategy type '" + s.type()
                    + "' (known: percentage, segment, priority, schedule, smart)");
        };
    }

    /**
     * Whether this user gets the canary.
     *
     * @param salt the release (see {@link CohortAssignment})
     * @param attributes the request's segment attributes ({@code region}, {@code tier}, ...)
     * @param now the request's time, for schedule windows
     * @param ranking the latest targeting scores, for the smart strategy (may be null: nobody scored)
     */
    public boolean isCanary(String salt, String userId, Map<String, String> attributes, Instant now,
            TargetingRanking ranking) {
        if (canaryPercent <= 0.0) {
            return false;
        }
        return switch (type) {
            case "percentage" -> CohortAssignment.isCanary(salt, userId, canaryPercent);
            case "segment", "priority" -> CohortAssignment.isCanary(salt, userId, segmentPercent(attributes.get(attribute)));
            case "schedule" -> inWindow(now) && CohortAssignment.isCanary(salt, userId, canaryPercent);
            case "smart" -> ranking != null && ranking.isTop(userId, canaryPercent, minScore);
            default -> false;
        };
    }

    /** The canary percent within the users whose attribute has {@code value}. */
    public double segmentPercent(String value) {
        if (canaryPercent >= 100.0) {
            return 100.0;
        }
        int index = value == null ? -1 : order.indexOf(value);
        if (index < 0) {
            return 0.0;
        }
        return Math.max(0.0, Math.min(100.0, canaryPercent * order.size() - 100.0 * index));
    }

    public boolean inWindow(Instant now) {
        for (ScheduleWindow window : windows) {
            if (window.contains(now)) {
                return true;
            }
        }
        return false;
    }

    public String type() {
        return type;
    }

    public double canaryPercent() {
        return canaryPercent;
    }

    /** The segment attribute of a segment or priority split, else null. */
    public String attribute() {
        return attribute;
    }

    public List<String> order() {
        return order;
    }

    public List<ScheduleWindow> windows() {
        return windows;
    }

    public double minScore() {
        return minScore;
    }

    private static String text(Map<String, Object> p, String type, String name) {
        if (!(p.get(name) instanceof String value) || value.isBlank()) {
            throw new IllegalArgumentException(type + " strategy: '" + name + "' must be a non-empty string");
        }
        return value;
    }

    private static List<String> texts(Map<String, Object> p, String type, String name) {
        if (!(p.get(name) instanceof List<?> list)) {
            throw new IllegalArgumentException(type + " strategy: '" + name + "' must be a list");
        }
        List<String> values = new ArrayList<>();
        for (Object item : list) {
            values.add(String.valueOf(Objects.requireNonNull(item, name + " item")));
        }
        return List.copyOf(values);
    }

    @Override
    public String toString() {
        return switch (type) {
            case "segment", "priority" -> type + " " + attribute + " " + order + " at " + canaryPercent + " %";
            case "schedule" -> "schedule " + windows + " at " + canaryPercent + " %";
            case "smart" -> "smart minScore " + minScore + " at " + canaryPercent + " %";
            default -> type + " at " + canaryPercent + " %";
        };
    }
}
