package io.graylight.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Time-uniform confidence sequence for the mean of values in [0, 1] (an evaluator's quality
 * score): the predictable-plug-in empirical-Bernstein CS of Waudby-Smith and Ramdas 2023,
 * "Estimating means of bounded random variables by betting", Theorem 2 (PrPl-EB).
 *
 * <pre>
 *   mean in  sum(lambda_i X_i) / sum(lambda_i)  +-  (log(2/alpha) + sum(v_i psi_E(lambda_i))) / sum(lambda_i)
 *   v_i = 4 (X_i - mu_{i-1})^2,   psi_E(l) = (-log(1 - l) - l) / 4
 * </pre>
 * Each side is a supermartingale argument (Ville), so the bound is exact and nonasymptotic for any
 * bounded distribution, and the width follows the empirical variance rather than the range.
 *
 * <p>The bets {@code lambda_i} must be fixed before {@code X_i} is seen; they are tuned for a
 * design level {@code designAlpha} but the bound is valid for any alpha asked later. State: six
 * running sums.
 */
public final class BoundedMeanConfidenceSequence implements ConfidenceSequence {

    /** Largest bet; WSR use 1/2 or 3/4. Smaller keeps psi_E tame when the variance estimate is off. */
    private static final double MAX_LAMBDA = 0.5;

    private final double designAlpha;
    private final double designLogTerm;
    private long n;
    private double sum;
    private double sumSquaredResiduals;
    private double sumLambda;
    private double sumLambdaX;
    private double sumPenalty;

    public BoundedMeanConfidenceSequence(double designAlpha) {
        ConfidenceSequence.checkAlpha(designAlpha);
        this.designAlpha = designAlpha;
        this.designLogTerm = 2 * Math.log(2 / designAlpha);
    }

    @Override
    public void add(double x) {
        if (!(x >= 0 && x <= 1)) {
            throw new IllegalArgumentException("a bounded-mean observation is in [0, 1], not " + x);
        }
        // Predictable quantities use the first n values only (regularised as in WSR).
        double priorMean = (0.5 + sum) / (n + 1);
        double priorVariance = (0.25 + sumSquaredResiduals) / (n + 1);
        long t = n + 1;
        double lambda = Math.min(MAX_LAMBDA, Math.sqrt(designLogTerm / (priorVariance * t * Math.log1p(t))));
        double residual = x - priorMean;
        sumLambda += lambda;
        sumLambdaX += lambda * x;
        sumPenalty += residual * residual * (-Math.log1p(-lambda) - lambda);

        n = t;
        sum += x;
        double mean = (0.5 + sum) / (n + 1);
        sumSquaredResiduals += (x - mean) * (x - mean);
    }

    @Override
    public long count() {
        return n;
    }

    @Override
    public double estimate() {
        return n == 0 ? Double.NaN : sum / n;
    }

    private double centre() {
        return sumLambdaX / sumLambda;
    }

    private double radius(double alpha) {
        return (Math.log(2 / alpha) + sumPenalty) / sumLambda;
    }

    // The CS is centred on the bet-weighted mean; stretching it to cover the plain mean too keeps
    // it valid (a superset) and keeps the interface's promise that it brackets the estimate.

    @Override
    public double lower(double alpha) {
        ConfidenceSequence.checkAlpha(alpha);
        return n == 0 ? 0 : Math.max(0, Math.min(estimate(), centre() - radius(alpha)));
    }

    @Override
    public double upper(double alpha) {
        ConfidenceSequence.checkAlpha(alpha);
        return n == 0 ? 1 : Math.min(1, Math.max(estimate(), centre() + radius(alpha)));
    }

    @Override
    public void reset() {
        n = 0;
        sum = 0;
        sumSquaredResiduals = 0;
        sumLambda = 0;
        sumLambdaX = 0;
        sumPenalty = 0;
    }

    @Override
    public BoundedMeanConfidenceSequence copy() {
        BoundedMeanConfidenceSequence copy = new BoundedMeanConfidenceSequence(designAlpha);
        copy.n = n;
        copy.sum = sum;
        copy.sumSquaredResiduals = sumSquaredResiduals;
        copy.sumLambda = sumLambda;
        copy.sumLambdaX = sumLambdaX;
        copy.sumPenalty = sumPenalty;
        return copy;
    }

    @Override
    public void writeTo(DataOutput out) throws IOException {
        out.writeLong(n);
        out.writeDouble(sum);
        out.writeDouble(sumSquaredResiduals);
        out.writeDouble(sumLambda);
        out.writeDouble(sumLambdaX);
        out.writeDouble(sumPenalty);
    }

    static BoundedMeanConfidenceSequence readFrom(DataInput in, double designAlpha) throws IOException {
        BoundedMeanConfidenceSequence cs = new BoundedMeanConfidenceSequence(designAlpha);
        cs.n = in.readLong();
        cs.sum = in.readDouble();
        cs.sumSquaredResiduals = in.readDouble();
        cs.sumLambda = in.readDouble();
        cs.sumLambdaX = in.readDouble();
        cs.sumPenalty = in.readDouble();
        return cs;
    }
}
