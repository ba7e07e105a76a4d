package io.graylight.rollout.plan;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Who is eligible for the canary; the stage's percent says how many of them get it. The parameters
 * each type takes in a plan's {@code strategy} mapping are listed in {@link #parameters()}.
 */
public enum StrategyType {
    /** Any user, by sticky hash of the user id. No parameters. */
    PERCENTAGE("percentage", List.of()),
    /** Segment by segment: {@code attribute} (a telemetry segment key) and {@code order} (its values, first first). */
    SEGMENT("segment", List.of("attribute", "order")),
    /** Only inside weekly time windows: {@code windows}, e.g. {@code ["Mon-Fri 02:00-06:00 UTC"]}. */
    SCHEDULE("schedule", List.of("windows")),
    /** By priority class, lowest risk first: {@code attribute} and {@code order}, e.g. tier [internal, free, pro]. */
    PRIORITY("priority", List.of("attribute", "order")),
    /** Users a targeting model scores as suitable: {@code model} and {@code minScore} in [0, 1]. */
    SMART("smart", List.of("model", "minScore"));

    private final String wireName;
    private final List<String> parameters;

    StrategyType(String wireName, List<String> parameters) {
        this.wireName = wireName;
        this.parameters = parameters;
    }

    public String wireName() {
        return wireName;
    }

    /** The parameter names besides {@code type}, all required. */
    public List<String> parameters() {
        return parameters;
    }

    public static Optional<StrategyType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(StrategyType::wireName).collect(Collectors.toList());
    }
}
