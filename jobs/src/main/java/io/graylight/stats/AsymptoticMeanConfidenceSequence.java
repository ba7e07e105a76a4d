package io.graylight.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * <b>Asymptotic</b> time-uniform confidence sequence for the mean of non-negative, unbounded
 * values (cost per request): the Gaussian-mixture boundary of Robbins applied to the standardised
 * sum with the running standard deviation plugged in, i.e. the asymptotic confidence sequence of
 * Waudby-Smith, Arbour, Sinha, Kennedy and Ramdas 2021, "Time-uniform central limit theory and
 * asymptotic confidence sequences" (Theorem 2.2, there with the mixture scale in data units):
 * <pre>  mean +- sigma_n sqrt((n + rho) (log(1 + n / rho) + 2 log(1/alpha))) / n</pre>
 *
 * <p>Without a bound on the values no nonasymptotic guarantee is possible; this one holds as the
 * sample grows, given a finite variance. Heavy right tails (a few huge costs) make small samples
 * optimistic, hence two guards: no bound at all below {@code minSamples}, and a variance floor of
 * {@code (relativeSdFloor * mean)^2} so a run of identical values cannot collapse the interval.
 */
public final class AsymptoticMeanConfidenceSequence implements ConfidenceSequence {

    private final double designSamples;
    private final double designAlpha;
    private final double rho;
    private final long minSamples;
    private final double relativeSdFloor;
    private final RunningMoments moments;

    public AsymptoticMeanConfidenceSequence(double designSamples, double designAlpha, long minSamples,
            double relativeSdFloor) {
        this(designSamples, designAlpha, minSamples, relativeSdFloor, new RunningMoments());
    }

    private AsymptoticMeanConfidenceSequence(double designSamples, double designAlpha, long minSamples,
            double relativeSdFloor, RunningMoments moments) {
        ConfidenceSequence.checkAlpha(designAlpha);
        if (!(designSamples >= 1) || minSamples < 2 || !(relativeSdFloor >= 0)) {
            throw new IllegalArgumentException("need designSamples >= 1, minSamples >= 2, relativeSdFloor >= 0");
        }
        double l = Math.log(1 / designAlpha);
        this.designSamples = designSamples;
        this.designAlpha = designAlpha;
        this.rho = designSamples / (2 * l + Math.log(1 + 2 * l));
        this.minSamples = minSamples;
        this.relativeSdFloor = relativeSdFloor;
        this.moments = moments;
    }

    @Override
    public void add(double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("a cost is finite and >= 0, not " + value);
        }
        moments.add(value);
    }

    @Override
    public long count() {
        return moments.count();
    }

    @Override
    public double estimate() {
        return moments.mean();
    }

    /** The running standard deviation the bound uses, after the floor. */
    public double standardDeviation() {
        double floor = relativeSdFloor * moments.mean();
        return Math.sqrt(Math.max(moments.variance(), floor * floor));
    }

    private double radius(double alpha) {
        double n = moments.count();
        return standardDeviation() * Math.sqrt((n + rho) * (Math.log1p(n / rho) + 2 * Math.log(1 / alpha))) / n;
    }

    @Override
    public double lower(double alpha) {
        ConfidenceSequence.checkAlpha(alpha);
        return count() < minSamples ? 0 : Math.max(0, moments.mean() - radius(alpha));
    }

    @Override
    public double upper(double alpha) {
        ConfidenceSequence.checkAlpha(alpha);
        return count() < minSamples ? Double.POSITIVE_INFINITY : moments.mean() + radius(alpha);
    }

    @Override
    public void reset() {
        moments.reset();
    }

    @Override
    public AsymptoticMeanConfidenceSequence copy() {
        return new AsymptoticMeanConfidenceSequence(designSamples, designAlpha, minSamples, relativeSdFloor,
                moments.copy());
    }

    @Override
    public void writeTo(DataOutput out) throws IOException {
        moments.writeTo(out);
    }

    static AsymptoticMeanConfidenceSequence readFrom(DataInput in, double designSamples, double designAlpha,
            long minSamples, double relativeSdFloor) throws IOException {
        return new AsymptoticMeanConfidenceSequence(designSamples, designAlpha, minSamples, relativeSdFloor,
                RunningMoments.readFrom(in));
    }
}
