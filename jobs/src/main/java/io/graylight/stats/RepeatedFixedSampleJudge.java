package io.graylight.stats;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.special.Erf;

/**
 * The naive judge, kept only as a benchmark: a fixed-sample one-sided test at level alpha
 * re-run on the cumulative data each time {@link #verdict} is called (e.g. every minute).
 * Each single run is a correct test; repeating it while the data grow is not, since the chance
 * that <em>some</em> run rejects grows with the number of looks. The anytime-valid
 * {@link GuardComparison} exists because of this.
 *
 * <p>Tests of {@code T = worse-side difference - margin > 0}: a two-proportion z-test (pooled
 * variance when the margin is zero, as in the textbook test), Welch's t-test for means, and for
 * quantiles a z-test on sample quantiles with the Siddiqui-Bloch-Gastwirth density estimate
 * (Hall-Sheather bandwidth). WORSE if {@code T/se > z(1-alpha)}, SAFE if {@code T/se < -z(1-alpha)}.
 */
public final class RepeatedFixedSampleJudge implements GuardJudge {

    private final GuardSpec spec;
    private final RunningMoments[] moments = {new RunningMoments(), new RunningMoments()};
    private final QuantileSketch[] sketches = {new QuantileSketch(), new QuantileSketch()};

    public RepeatedFixedSampleJudge(GuardSpec spec) {
        this.spec = spec;
    }

    @Override
    public GuardSpec spec() {
        return spec;
    }

    @Override
    public void observe(boolean canary, double value) {
        int cohort = canary ? 1 : 0;
        moments[cohort].add(value);
        if (spec.kind() == MetricKind.QUANTILE) {
            sketches[cohort].add(value);
        }
    }

    @Override
    public long samples(boolean canary) {
        return moments[canary ? 1 : 0].count();
    }

    @Override
    public Verdict verdict(double alpha) {
        return evidence(alpha).verdict();
    }

    @Override
    public GuardEvidence evidence(double alpha) {
        ConfidenceSequence.checkAlpha(alpha);
        long nb = samples(false);
        long nc = samples(true);
        double b = estimate(0);
        double c = estimate(1);
        double z = Double.NaN;
        double critical = Double.NaN;
        Verdict verdict = Verdict.INCONCLUSIVE;
        if (nb >= 2 && nc >= 2) {
            boolean higherIsWorse = spec.direction() == Direction.HIGHER_IS_WORSE;
            double m = spec.margin().amount();
            // T > 0 <=> worse beyond the margin; se^2 = var(c) + slope^2 var(b).
            double slope = spec.margin().relative() ? (higherIsWorse ? 1 + m : 1 - m) : 1;
            double shift = spec.margin().relative() ? 0 : m;
            double t = (higherIsWorse ? c - slope * b : slope * b - c) - shift;
            double se = Math.sqrt(varianceOfEstimate(1, b, c) + slope * slope * varianceOfEstimate(0, b, c));
            critical = criticalValue(alpha, nb, nc);
            if (se > 0) {
                z = t / se;
                verdict = z > critical ? Verdict.WORSE : z < -critical ? Verdict.SAFE : Verdict.INCONCLUSIVE;
            }
        }
        return new GuardEvidence(spec.metric(), verdict, b, c, spec.kind() == MetricKind.PROPORTION
                || spec.kind() == MetricKind.QUANTILE ? "z" : "welch-t", z, critical, nb, nc, Double.NaN, Double.NaN,
                alpha);
    }

    private double estimate(int cohort) {
        if (samples(cohort == 1) == 0) {
            return Double.NaN;
        }
        return spec.kind() == MetricKind.QUANTILE ? sketches[cohort].quantile(spec.quantile()) : moments[cohort].mean();
    }

    private double varianceOfEstimate(int cohort, double b, double c) {
        double n = moments[cohort].count();
        switch (spec.kind()) {
            case PROPORTION -> {
                if (spec.margin().amount() == 0) {
                    double pooled = (b * samples(false) + c * samples(true)) / (samples(false) + samples(true));
                    return pooled * (1 - pooled) / n;
                }
                double p = cohort == 1 ? c : b;
                return p * (1 - p) / n;
            }
            case QUANTILE -> {
                double q = spec.quantile();
                double h = hallSheather(q, n);
                double sparsity = (sketches[cohort].quantile(Math.min(1, q + h))
                        - sketches[cohort].quantile(Math.max(0, q - h))) / (2 * h);
                return q * (1 - q) / n * sparsity * sparsity;
            }
            default -> {
                return moments[cohort].variance() / n;
            }
        }
    }

    private double criticalValue(double alpha, long nb, long nc) {
        if (spec.kind() == MetricKind.BOUNDED_MEAN || spec.kind() == MetricKind.UNBOUNDED_MEAN) {
            double vb = moments[0].variance() / nb;
            double vc = moments[1].variance() / nc;
            double df = (vb + vc) * (vb + vc) / (vb * vb / (nb - 1) + vc * vc / (nc - 1));
            if (df > 0 && Double.isFinite(df)) {
                return new TDistribution(null, df).inverseCumulativeProbability(1 - alpha);
            }
        }
        return normalQuantile(1 - alpha);
    }

    /** Hall and Sheather's bandwidth for the sparsity estimate (at the conventional 5 %). */
    private static double hallSheather(double q, double n) {
        double zq = normalQuantile(q);
        double density = Math.exp(-zq * zq / 2) / Math.sqrt(2 * Math.PI);
        double h = Math.pow(n, -1.0 / 3) * Math.pow(normalQuantile(0.975), 2.0 / 3)
                * Math.pow(1.5 * density * density / (2 * zq * zq + 1), 1.0 / 3);
        return Math.min(h, 0.5 * Math.min(q, 1 - q));
    }

    static double normalQuantile(double p) {
        return Math.sqrt(2) * Erf.erfInv(2 * p - 1);
    }

    @Override
    public void reset() {
        for (int i = 0; i < 2; i++) {
            moments[i].reset();
            sketches[i] = new QuantileSketch();
        }
    }
}
