package io.graylight.rollout.plan;

import java.io.Serializable;
import java.util.Objects;

/**
 * One guard of a plan: the canary may be worse than the baseline on {@code metric} by at most the
 * margin, either absolute ({@code margin}, in the metric's unit: 0.002 of error rate is 0.2
 * percentage points, 50 of latency_p95 is 50 ms) or relative to the baseline ({@code relativeMargin}:
 * 0.10 is 10 % worse). Exactly one of the two is set. "Worse" follows the metric's direction:
 * higher for every metric but {@code quality_score}.
 */
public record Guard(GuardMetric metric, Double margin, Double relativeMargin) implements Serializable {

    public Guard {
        Objects.requireNonNull(metric, "metric");
        if ((margin == null) == (relativeMargin == null)) {
            throw new IllegalArgumentException("guard " + metric.wireName() + ": give exactly one of margin and relativeMargin");
        }
        double value = margin != null ? margin : relativeMargin;
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("guard " + metric.wireName() + ": margin must be finite and >= 0, got " + value);
        }
    }

    public static Guard absolute(GuardMetric metric, double margin) {
        return new Guard(metric, margin, null);
    }

    public static Guard relative(GuardMetric metric, double relativeMargin) {
        return new Guard(metric, null, relativeMargin);
    }

    public boolean isRelative() {
        return relativeMargin != null;
    }

    /**
     * The worst canary value this guard tolerates when the baseline is at {@code baseline}: baseline
     * plus (or, for quality, minus) the absolute margin, or the baseline scaled by 1 ± relativeMargin.
     */
    public double limit(double baseline) {
        double allowance = isRelative() ? Math.abs(baseline) * relativeMargin : margin;
        return metric.higherIsWorse() ? baseline + allowance : baseline - allowance;
    }

    /** Whether {@code canary} is within the tolerated worsening of {@code baseline}. */
    public boolean tolerates(double baseline, double canary) {
        double limit = limit(baseline);
        return metric.higherIsWorse() ? canary <= limit : canary >= limit;
    }

    /** For people and plan listings, e.g. {@code error_rate +0.002}, {@code latency_p95 +10%}, {@code quality_score -0.02}. */
    public String describe() {
        String sign = metric.higherIsWorse() ? "+" : "-";
        return metric.wireName() + " " + sign + (isRelative()
                ? PlanText.percentOf(relativeMargin)
                : PlanText.number(margin));
    }

    @Override
    public String toString() {
        return describe();
    }
}
