package io.graylight.stats;

import io.graylight.contracts.decision.Evidence;

/**
 * What a guard decided and why, as the decision record's {@code evidence} entry needs it.
 *
 * @param statistic {@value GuardComparison#STATISTIC} for the anytime-valid judge: {@code value}
 *     is then a confidence bound on the worsening (the lower bound, or the upper bound when the
 *     verdict is SAFE) and {@code threshold} the margin; for the naive judge a z statistic against
 *     its critical value
 * @param worseningLower lower confidence bound on the worsening (NaN for the naive judge); may be
 *     infinite while a cohort has too few samples for a bound
 * @param worseningUpper upper confidence bound on the worsening, likewise
 * @param alpha the level the verdict was taken at
 */
public record GuardEvidence(
        String metric,
        Verdict verdict,
        double baseline,
        double canary,
        String statistic,
        double value,
        double threshold,
        long samplesBaseline,
        long samplesCanary,
        double worseningLower,
        double worseningUpper,
        double alpha) {

    /**
     * The contract's evidence entry. JSON has no infinities: an unbounded {@code value} (a cohort
     * without enough data for a bound) is written as +-{@link Double#MAX_VALUE}, NaN as 0.
     */
    public Evidence toContract() {
        return new Evidence(metric, finite(baseline), finite(canary), statistic, finite(value), finite(threshold),
                samplesBaseline, samplesCanary);
    }

    private static double finite(double x) {
        if (Double.isNaN(x)) {
            return 0;
        }
        return Math.max(-Double.MAX_VALUE, Math.min(Double.MAX_VALUE, x));
    }
}
