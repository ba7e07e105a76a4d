package io.graylight.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.junit.jupiter.api.Test;

class BernoulliConfidenceSequenceTest {

    private static final double ALPHA = 0.01;

    /**
     * The bounds must be exactly the ends of {p : M_n(p) < 1/alpha}: every rate beyond them is
     * rejected and every rate between them and the MLE is not. This is what makes root finding on
     * one crossing per side legitimate, since the prior moves with p.
     */
    @Test
    void boundsAreTheEndsOfTheNonRejectedSet() {
        double threshold = Math.log(1 / ALPHA);
        for (double design : new double[] {10, 1000, 100_000}) {
            BetaBinomialMixture mixture = new BetaBinomialMixture(design, GuardSpec.DEFAULT_DESIGN_ALPHA);
            for (long n : new long[] {1, 2, 7, 40, 300, 5_000, 200_000}) {
                for (long s = 0; s <= n; s += Math.max(1, n / 23)) {
                    BernoulliConfidenceSequence cs = new BernoulliConfidenceSequence(design,
                            GuardSpec.DEFAULT_DESIGN_ALPHA);
                    cs.addCounts(s, n);
                    double lower = cs.lower(ALPHA);
                    double upper = cs.upper(ALPHA);
                    double mle = (double) s / n;
                    assertThat(lower).isLessThanOrEqualTo(mle);
                    assertThat(upper).isGreaterThanOrEqualTo(mle);
                    for (int i = 1; i < 400; i++) {
                        double p = i / 400.0;
                        boolean rejected = mixture.logValue(p, s, n) >= threshold;
                        boolean outside = p < lower || p > upper;
                        boolean clearlyInside = p > lower * (1 + 1e-6) && p < upper * (1 - 1e-6);
                        if (outside) {
                            assertThat(rejected).as("design %s, %d/%d, p=%s outside [%s, %s]", design, s, n, p,
                                    lower, upper).isTrue();
                        } else if (clearlyInside) {
                            assertThat(rejected).as("design %s, %d/%d, p=%s inside", design, s, n, p).isFalse();
                        }
                    }
                }
            }
        }
    }

    @Test
    void smallRatesGetTightBoundsAtAModestPriceOverAFixedSampleInterval() {
        BernoulliConfidenceSequence cs = new BernoulliConfidenceSequence(1000, 0.001);
        cs.addCounts(50, 10_000);
        double width = cs.upper(0.05) - cs.lower(0.05);
        // Clopper-Pearson, exact but valid for this one sample size only.
        double cpLower = new BetaDistribution(null, 50, 10_000 - 50 + 1).inverseCumulativeProbability(0.025);
        double cpUpper = new BetaDistribution(null, 51, 10_000 - 50).inverseCumulativeProbability(0.975);
        double ratio = width / (cpUpper - cpLower);
        System.out.printf("0.5 %% after 10k: CS [%.5f, %.5f], Clopper-Pearson [%.5f, %.5f], width ratio %.2f%n",
                cs.lower(0.05), cs.upper(0.05), cpLower, cpUpper, ratio);
        assertThat(ratio).isBetween(1.0, 2.0);
        assertThat(cs.lower(0.05)).isGreaterThan(0.0025);
        assertThat(cs.upper(0.05)).isLessThan(0.008);
    }

    @Test
    void edgeCountsGiveTheNaturalLimits() {
        BernoulliConfidenceSequence cs = new BernoulliConfidenceSequence(1000, 0.001);
        assertThat(cs.lower(ALPHA)).isZero();
        assertThat(cs.upper(ALPHA)).isEqualTo(1);
        cs.addCounts(0, 5_000);
        assertThat(cs.lower(ALPHA)).isZero();
        assertThat(cs.upper(ALPHA)).isBetween(1e-4, 3e-3);
        BernoulliConfidenceSequence all = new BernoulliConfidenceSequence(1000, 0.001);
        all.addCounts(5_000, 5_000);
        assertThat(all.upper(ALPHA)).isEqualTo(1);
        assertThat(all.lower(ALPHA)).isBetween(0.997, 1.0);
    }

    @Test
    void smallerAlphaWidensAndAnswersDoNotDependOnQueryOrder() {
        BernoulliConfidenceSequence cs = new BernoulliConfidenceSequence(1000, 0.001);
        cs.addCounts(30, 2_000);
        double wide = cs.lower(1e-6);
        double narrow = cs.lower(0.05);
        assertThat(wide).isLessThan(narrow);
        assertThat(cs.copy().lower(1e-6)).isCloseTo(wide, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void rejectsValuesThatAreNotZeroOrOne() {
        BernoulliConfidenceSequence cs = new BernoulliConfidenceSequence(1000, 0.001);
        assertThatThrownBy(() -> cs.add(0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cs.lower(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
