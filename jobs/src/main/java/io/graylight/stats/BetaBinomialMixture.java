package io.graylight.stats;

/**
 * The conjugate beta-binomial mixture martingale for a Bernoulli rate (Howard, Ramdas, McAuliffe
 * and Sekhon 2021, section on sub-Bernoulli conjugate mixtures; as in their {@code confseq}
 * library's {@code bernoulli_confidence_interval}).
 *
 * <p>For a hypothesised rate {@code p}, the likelihood ratio of the data under a rate drawn from
 * the prior {@code Beta(kappa p, kappa (1 - p))} against the data under {@code p},
 * <pre>  M_n(p) = B(kappa p + S, kappa (1 - p) + F) / B(kappa p, kappa (1 - p)) / (p^S (1 - p)^F),</pre>
 * is a non-negative martingale with {@code M_0 = 1} when the true rate is {@code p}, so by Ville's
 * inequality {@code P(exists n: M_n(p) >= 1/alpha) <= alpha}. The rates with {@code M_n < 1/alpha}
 * are an exact, variance-adaptive confidence sequence valid for every sample size.
 *
 * <p>Centring the prior on {@code p} (rather than a fixed uniform prior) is what keeps small rates
 * tight: the prior's spread scales with {@code p(1-p)}, like the data's. {@code kappa} tunes the
 * sample size at which the bound is tightest (Howard et al.'s rule for the normal mixture).
 */
final class BetaBinomialMixture {

    private final double kappa;
    private final double logGammaKappa;

    BetaBinomialMixture(double designSamples, double designAlpha) {
        this.kappa = concentration(designSamples, designAlpha);
        this.logGammaKappa = SpecialFunctions.logGamma(kappa);
    }

    /** Prior concentration for which the boundary is near-optimal after {@code designSamples}. */
    static double concentration(double designSamples, double designAlpha) {
        if (!(designSamples >= 1)) {
            throw new IllegalArgumentException("design sample size must be >= 1: " + designSamples);
        }
        ConfidenceSequence.checkAlpha(designAlpha);
        double l = Math.log(1 / designAlpha);
        return Math.max(designSamples / (2 * l + Math.log(1 + 2 * l)) - 1, 1e-3);
    }

    double kappa() {
        return kappa;
    }

    /** {@code log M_n(p)} for {@code s} successes in {@code n} trials, {@code 0 < p < 1}. */
    double logValue(double p, double s, double n) {
        double f = n - s;
        double a = kappa * p;
        double b = kappa * (1 - p);
        double value = SpecialFunctions.logGamma(a + s) + SpecialFunctions.logGamma(b + f) - SpecialFunctions.logGamma(kappa + n)
                - SpecialFunctions.logGamma(a) - SpecialFunctions.logGamma(b) + logGammaKappa;
        if (s > 0) {
            value -= s * Math.log(p);
        }
        if (f > 0) {
            value -= f * Math.log1p(-p);
        }
        return value;
    }

    /** The statistic at one fixed rate, with the rate's terms computed once (quantile ranks). */
    AtRate atRate(double p) {
        return new AtRate(p);
    }

    final class AtRate {
        private final double a;
        private final double b;
        private final double priorTerms;
        private final double logP;
        private final double logOneMinusP;

        private AtRate(double p) {
            a = kappa * p;
            b = kappa * (1 - p);
            priorTerms = logGammaKappa - SpecialFunctions.logGamma(a) - SpecialFunctions.logGamma(b);
            logP = Math.log(p);
            logOneMinusP = Math.log1p(-p);
        }

        /** {@code log Gamma(kappa + n)}, shared by every evaluation at one sample size. */
        double sizeTerm(long n) {
            return SpecialFunctions.logGamma(kappa + n);
        }

        /** {@code log M_n(p)} for {@code s} successes in {@code n} trials. */
        double logValue(long s, long n, double sizeTerm) {
            long f = n - s;
            return SpecialFunctions.logGamma(a + s) + SpecialFunctions.logGamma(b + f) - sizeTerm + priorTerms
                    - s * logP - f * logOneMinusP;
        }
    }

    /** d/dp of {@link #logValue}; the {@code log Gamma(kappa + n)} term does not depend on p. */
    double derivative(double p, double s, double n) {
        double f = n - s;
        double a = kappa * p;
        double b = kappa * (1 - p);
        return kappa * (SpecialFunctions.digamma(a + s) - SpecialFunctions.digamma(b + f) - SpecialFunctions.digamma(a) + SpecialFunctions.digamma(b))
                - s / p + f / (1 - p);
    }
}
