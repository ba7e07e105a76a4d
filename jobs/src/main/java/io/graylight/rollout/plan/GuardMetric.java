package io.graylight.rollout.plan;

import io.graylight.contracts.telemetry.RequestStatus;
import io.graylight.contracts.telemetry.TelemetryEvent;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * A metric a guard compares between canary and baseline, by its wire name in plans and evidence.
 *
 * <p>Each metric knows which telemetry events carry it and how to turn one event into one
 * observation ({@link #observe}), what kind of statistic it is ({@link Kind}, which tells the judge
 * which sequential test applies) and which direction is worse. Observations are per event:
 * <ul>
 *   <li>the status rates ({@code error_rate}, {@code timeout_rate}, {@code rate_limited_rate},
 *       {@code refusal_rate} = status {@code filtered}) are 1 or 0 for every request;</li>
 *   <li>{@code latency_*} is every request's {@code latencyMs}, whatever its status (failures are
 *       the status rates' business; leaving them out would make a failing canary look fast);</li>
 *   <li>{@code ttft_*}, {@code cost_per_request} and {@code quality_score} come from requests that
 *       carry {@code ttftMs}, {@code costUsd} or {@code qualityScore}; others have no observation;</li>
 *   <li>{@code negative_feedback_rate} is 1 for a thumbs-down and 0 for a thumbs-up, from feedback
 *       events only.</li>
 * </ul>
 */
public enum GuardMetric {
    ERROR_RATE("error_rate", Kind.PROPORTION, Source.REQUEST),
    TIMEOUT_RATE("timeout_rate", Kind.PROPORTION, Source.REQUEST),
    RATE_LIMITED_RATE("rate_limited_rate", Kind.PROPORTION, Source.REQUEST),
    /** Requests refused by a content filter or the model itself (status {@code filtered}). */
    REFUSAL_RATE("refusal_rate", Kind.PROPORTION, Source.REQUEST),
    LATENCY_P50("latency_p50", Kind.QUANTILE, Source.REQUEST, 0.50),
    LATENCY_P95("latency_p95", Kind.QUANTILE, Source.REQUEST, 0.95),
    LATENCY_P99("latency_p99", Kind.QUANTILE, Source.REQUEST, 0.99),
    TTFT_P50("ttft_p50", Kind.QUANTILE, Source.REQUEST, 0.50),
    TTFT_P95("ttft_p95", Kind.QUANTILE, Source.REQUEST, 0.95),
    COST_PER_REQUEST("cost_per_request", Kind.UNBOUNDED_MEAN, Source.REQUEST),
    /** The online evaluator's score in [0, 1]; the one metric where lower is worse. */
    QUALITY_SCORE("quality_score", Kind.BOUNDED_MEAN, Source.REQUEST),
    NEGATIVE_FEEDBACK_RATE("negative_feedback_rate", Kind.PROPORTION, Source.FEEDBACK);

    /** Which statistical comparison applies. */
    public enum Kind {
        /** Mean of 0/1 observations, in [0, 1]. */
        PROPORTION,
        /** A quantile {@link #quantile()} of non-negative observations. */
        QUANTILE,
        /** Mean of observations known to lie in [0, 1]. */
        BOUNDED_MEAN,
        /** Mean of non-negative observations without a known upper bound (heavy tails possible). */
        UNBOUNDED_MEAN
    }

    /** Which telemetry events carry the metric. */
    public enum Source { REQUEST, FEEDBACK }

    private final String wireName;
    private final Kind kind;
    private final Source source;
    private final double quantile;

    GuardMetric(String wireName, Kind kind, Source source) {
        this(wireName, kind, source, Double.NaN);
    }

    GuardMetric(String wireName, Kind kind, Source source, double quantile) {
        this.wireName = wireName;
        this.kind = kind;
        this.source = source;
        this.quantile = quantile;
    }

    /** The name in plans, evidence and reasons, e.g. {@code latency_p95}. */
    public String wireName() {
        return wireName;
    }

    public Kind kind() {
        return kind;
    }

    public Source source() {
        return source;
    }

    /** For {@link Kind#QUANTILE}: q in (0, 1), e.g. 0.95 for p95. */
    public double quantile() {
        if (kind != Kind.QUANTILE) {
            throw new IllegalStateException(wireName + " is not a quantile");
        }
        return quantile;
    }

    /** True for every metric but {@code quality_score}, where a lower canary value is the regression. */
    public boolean higherIsWorse() {
        return this != QUALITY_SCORE;
    }

    /** Whether every observation lies in [0, 1] (proportions and the quality score). */
    public boolean isUnitInterval() {
        return kind == Kind.PROPORTION || kind == Kind.BOUNDED_MEAN;
    }

    /** The unit of observations, for people: {@code ms}, {@code USD} or empty. */
    public String unit() {
        return switch (this) {
            case LATENCY_P50, LATENCY_P95, LATENCY_P99, TTFT_P50, TTFT_P95 -> "ms";
            case COST_PER_REQUEST -> "USD";
            default -> "";
        };
    }

    /** The event's observation for this metric, or empty when the event does not carry it. */
    public OptionalDouble observe(TelemetryEvent event) {
        if (source == Source.FEEDBACK) {
            if (!event.isFeedback() || event.score() == null) {
                return OptionalDouble.empty();
            }
            return switch (event.score()) {
                case -1 -> OptionalDouble.of(1.0);
                case 1 -> OptionalDouble.of(0.0);
                default -> OptionalDouble.empty();
            };
        }
        if (!event.isRequest()) {
            return OptionalDouble.empty();
        }
        return switch (this) {
            case ERROR_RATE -> statusIs(event, RequestStatus.ERROR);
            case TIMEOUT_RATE -> statusIs(event, RequestStatus.TIMEOUT);
            case RATE_LIMITED_RATE -> statusIs(event, RequestStatus.RATE_LIMITED);
            case REFUSAL_RATE -> statusIs(event, RequestStatus.FILTERED);
            case LATENCY_P50, LATENCY_P95, LATENCY_P99 -> present(event.latencyMs());
            case TTFT_P50, TTFT_P95 -> present(event.ttftMs());
            case COST_PER_REQUEST -> present(event.costUsd());
            case QUALITY_SCORE -> present(event.qualityScore());
            case NEGATIVE_FEEDBACK_RATE -> throw new AssertionError("feedback metric handled above");
        };
    }

    /** A value of this metric for people: {@code 4.1%}, {@code 812 ms}, {@code $0.00310}, {@code 0.812}. */
    public String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return switch (kind) {
            case PROPORTION -> String.format(Locale.ROOT, "%.2f%%", value * 100);
            case QUANTILE -> String.format(Locale.ROOT, "%.0f ms", value);
            case BOUNDED_MEAN -> String.format(Locale.ROOT, "%.3f", value);
            case UNBOUNDED_MEAN -> String.format(Locale.ROOT, "$%.5f", value);
        };
    }

    public static Optional<GuardMetric> fromWire(String name) {
        for (GuardMetric metric : values()) {
            if (metric.wireName.equals(name)) {
                return Optional.of(metric);
            }
        }
        return Optional.empty();
    }

    /** All wire names in declaration order, comma separated, for messages. */
    public static String knownNames() {
        return Arrays.stream(values()).map(GuardMetric::wireName).collect(Collectors.joining(", "));
    }

    private static OptionalDouble statusIs(TelemetryEvent event, RequestStatus status) {
        return event.status() == null ? OptionalDouble.empty() : OptionalDouble.of(event.status() == status ? 1.0 : 0.0);
    }

    private static OptionalDouble present(Double value) {
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
}
