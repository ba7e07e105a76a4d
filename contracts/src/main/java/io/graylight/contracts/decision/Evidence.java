package io.graylight.contracts.decision;

/**
 * One guard's comparison behind a decision.
 *
 * @param metric the guard metric, e.g. {@code error_rate}
 * @param baseline the baseline's estimate
 * @param canary the canary's estimate
 * @param statistic the test statistic's kind, e.g. {@code e-value} or {@code upper-confidence-bound}
 * @param value the statistic's value
 * @param threshold the value at which it decides
 */
public record Evidence(
        String metric,
        double baseline,
        double canary,
        String statistic,
        double value,
        double threshold,
        long samplesBaseline,
        long samplesCanary) {}
