package io.graylight.stats;

import java.util.SplittableRandom;

/**
 * Simulated per-request telemetry of one cohort: the shapes a canary judge meets in practice
 * (rare errors, log-normal latencies and costs, a skewed quality score), with known parameters.
 */
record Traffic(double errorRate, double latencyMedianMs, double latencySigma, double qualityMean,
        double costMedianUsd, double costSigma) {

    static final Traffic BASELINE = new Traffic(0.01, 800, 0.5, 0.8, 0.002, 0.6);
    static final double Z95 = 1.6448536269514722;

    Traffic withErrorRate(double rate) {
        return new Traffic(rate, latencyMedianMs, latencySigma, qualityMean, costMedianUsd, costSigma);
    }

    Traffic withLatencyScale(double factor) {
        return new Traffic(errorRate, latencyMedianMs * factor, latencySigma, qualityMean, costMedianUsd, costSigma);
    }

    Traffic withQualityMean(double mean) {
        return new Traffic(errorRate, latencyMedianMs, latencySigma, mean, costMedianUsd, costSigma);
    }

    Traffic withCostScale(double factor) {
        return new Traffic(errorRate, latencyMedianMs, latencySigma, qualityMean, costMedianUsd * factor, costSigma);
    }

    /** One request's value of the metric a guard of this spec watches. */
    double sample(GuardSpec spec, SplittableRandom random) {
        return switch (spec.kind()) {
            case PROPORTION -> random.nextDouble() < errorRate ? 1 : 0;
            case QUANTILE -> latencyMedianMs * Math.exp(latencySigma * gaussian(random));
            // U^c has mean 1/(1+c): skewed towards 1 like an evaluator's scores, with a known mean.
            case BOUNDED_MEAN -> Math.pow(random.nextDouble(), 1 / qualityMean - 1);
            case UNBOUNDED_MEAN -> costMedianUsd * Math.exp(costSigma * gaussian(random));
        };
    }

    /** The true value of the parameter the spec's confidence sequence estimates. */
    double truth(GuardSpec spec) {
        return switch (spec.kind()) {
            case PROPORTION -> errorRate;
            case QUANTILE -> latencyMedianMs * Math.exp(latencySigma * RepeatedFixedSampleJudge.normalQuantile(spec.quantile()));
            case BOUNDED_MEAN -> qualityMean;
            case UNBOUNDED_MEAN -> costMedianUsd * Math.exp(costSigma * costSigma / 2);
        };
    }

    static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /** Rate bound for "at most alpha" over {@code runs} Bernoulli trials: alpha + 3 standard errors. */
    static double allowedRate(double alpha, int runs) {
        return alpha + 3 * Math.sqrt(alpha * (1 - alpha) / runs);
    }
}
