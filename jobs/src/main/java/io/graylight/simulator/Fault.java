package io.graylight.simulator;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A regression injected into the simulated traffic from {@code start} (event time after the
 * simulation start) onwards, in the canary only or, as an incident that is not the canary's fault,
 * in both cohorts.
 *
 * <p>Compact form for the command line: {@code kind[=magnitude][@start][:both|:canary]}, e.g.
 * {@code error_rate=0.05@10m}, {@code latency=1.8@5m}, {@code silence@2m},
 * {@code error_rate=0.08@3m:both}.
 */
public record Fault(Kind kind, double magnitude, Duration start, Target target) {

    public enum Kind {
        /** Extra probability that a request fails with status error. */
        ERROR_RATE("error_rate", 0.05, 0.0, 1.0, "an extra error probability in [0, 1]"),
        /** Multiplies the whole latency (TTFT and decode). */
        LATENCY("latency", 2.0, 0.0, 1000.0, "a latency multiplier > 0"),
        /** Probability that a request stalls for 10 to 30 s mid-stream. */
        TAIL_STALLS("tail_stalls", 0.02, 0.0, 1.0, "a stall probability in [0, 1]"),
        /** Multiplies the time to first token only. */
        TTFT("ttft", 2.0, 0.0, 1000.0, "a TTFT multiplier > 0"),
        /** Subtracted from the quality score (clamped to [0, 1]). */
        QUALITY_DROP("quality_drop", 0.2, 0.0, 1.0, "a quality drop in [0, 1]"),
        /** Extra probability that feedback is a thumbs-down. */
        NEGATIVE_FEEDBACK("negative_feedback", 0.2, 0.0, 1.0, "an extra thumbs-down probability in [0, 1]"),
        /**
         * Multiplies the billed tokens and so the cost: a version that stuffs more context or answers
         * at greater length. Latency is left alone, so that this fault exercises the cost guard only.
         */
        COST("cost", 1.5, 0.0, 1000.0, "a cost multiplier > 0"),
        /** The target cohort's telemetry stops altogether. */
        SILENCE("silence", 1.0, 1.0, 1.0, "no magnitude");

        private final String wireName;
        private final double defaultMagnitude;
        private final double min;
        private final double max;
        private final String magnitudeMeaning;

        Kind(String wireName, double defaultMagnitude, double min, double max, String magnitudeMeaning) {
            this.wireName = wireName;
            this.defaultMagnitude = defaultMagnitude;
            this.min = min;
            this.max = max;
            this.magnitudeMeaning = magnitudeMeaning;
        }

        public String wireName() {
            return wireName;
        }

        public double defaultMagnitude() {
            return defaultMagnitude;
        }

        /** Multipliers must be positive; probabilities and drops may be 0 (a no-op fault). */
        boolean accepts(double magnitude) {
            boolean multiplier = this == LATENCY || this == TTFT || this == COST;
            return multiplier ? magnitude > min && magnitude <= max : magnitude >= min && magnitude <= max;
        }

        static Kind fromWire(String name) {
            for (Kind kind : values()) {
                if (kind.wireName.equals(name)) {
                    return kind;
                }
            }
            return null;
        }

        static String names() {
            return Arrays.stream(values()).map(Kind::wireName).collect(Collectors.joining(", "));
        }
    }

    public enum Target {
        CANARY,
        /** An incident of the shared infrastructure: both cohorts degrade together. */
        BOTH
    }

    public Fault {
        if (kind == null || start == null || target == null) {
            throw new IllegalArgumentException("a fault needs a kind, a start and a target");
        }
        if (start.isNegative()) {
            throw new IllegalArgumentException("fault " + kind.wireName + ": start must not be negative: " + start);
        }
        if (!kind.accepts(magnitude)) {
            throw new IllegalArgumentException("fault " + kind.wireName + ": magnitude " + magnitude
                    + " is out of range; expected " + kind.magnitudeMeaning);
        }
    }

    /** A canary-only fault of {@code kind} with its default magnitude, from the start. */
    public static Fault of(Kind kind) {
        return new Fault(kind, kind.defaultMagnitude, Duration.ZERO, Target.CANARY);
    }

    public static Fault of(Kind kind, double magnitude, Duration start) {
        return new Fault(kind, magnitude, start, Target.CANARY);
    }

    /**
     * Parses {@code kind[=magnitude][@start][:both|:canary]}.
     *
     * @throws IllegalArgumentException quoting the spec and naming the part that is wrong
     */
    public static Fault parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty fault; expected kind[=magnitude][@start][:both], e.g. error_rate=0.05@10m");
        }
        String rest = spec.strip();
        Target target = Target.CANARY;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            String targetText = rest.substring(colon + 1);
            target = switch (targetText.toLowerCase(Locale.ROOT)) {
                case "both" -> Target.BOTH;
                case "canary" -> Target.CANARY;
                default -> throw bad(spec, "unknown target '" + targetText + "'; expected both or canary");
            };
            rest = rest.substring(0, colon);
        }
        Duration start = Duration.ZERO;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                start = Durations.parse(rest.substring(at + 1));
            } catch (IllegalArgumentException e) {
                throw bad(spec, "start: " + e.getMessage());
            }
            rest = rest.substring(0, at);
        }
        String magnitudeText = null;
        int equals = rest.indexOf('=');
        if (equals >= 0) {
            magnitudeText = rest.substring(equals + 1);
            rest = rest.substring(0, equals);
        }
        Kind kind = Kind.fromWire(rest.toLowerCase(Locale.ROOT));
        if (kind == null) {
            throw bad(spec, "unknown kind '" + rest + "'; expected one of " + Kind.names());
        }
        double magnitude = kind.defaultMagnitude;
        if (magnitudeText != null) {
            if (kind == Kind.SILENCE) {
                throw bad(spec, "silence takes no magnitude; write e.g. silence@2m");
            }
            try {
                magnitude = Double.parseDouble(magnitudeText);
            } catch (NumberFormatException e) {
                throw bad(spec, "magnitude '" + magnitudeText + "' is not a number");
            }
        }
        try {
            return new Fault(kind, magnitude, start, target);
        } catch (IllegalArgumentException e) {
            throw bad(spec, "magnitude " + magnitudeText + " is out of range; expected " + kind.magnitudeMeaning);
        }
    }

    /** The compact form, which {@link #parse} reads back. */
    public String spec() {
        StringBuilder text = new StringBuilder(kind.wireName);
        if (kind != Kind.SILENCE) {
            text.append('=').append(magnitude);
        }
        text.append('@').append(Durations.format(start));
        if (target == Target.BOTH) {
            text.append(":both");
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return spec();
    }

    private static IllegalArgumentException bad(String spec, String problem) {
        return new IllegalArgumentException("bad fault '" + spec + "': " + problem);
    }
}
