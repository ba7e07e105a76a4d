package io.graylight.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Exact time-uniform confidence sequence for a Bernoulli rate (error, timeout, refusal, negative
 * feedback): the rates not rejected by the {@link BetaBinomialMixture} at level {@code alpha}.
 * Valid at every sample size with no asymptotics; the width adapts to {@code p(1-p)}, so a 0.5 %
 * rate gets a bound of the order of {@code sqrt(p log(1/alpha) / n)} rather than {@code 1/sqrt(n)}.
 *
 * <p>State: two counters. Bounds are found by safeguarded Newton iteration on {@code p}, warm
 * started from the previous bound, and rounded outwards so they never claim more than is proven.
 */
public final class BernoulliConfidenceSequence implements ConfidenceSequence {

    private final BetaBinomialMixture mixture;
    private long successes;
    private long trials;

    // Warm starts and memo: a verdict reads the same bound many times between observations.
    private double memoAlpha = Double.NaN;
    private long memoTrials = -1;
    private double lowerMemo = Double.NaN;
    private double upperMemo = Double.NaN;
    private boolean lowerFresh;
    private boolean upperFresh;

    public BernoulliConfidenceSequence(double designSamples, double designAlpha) {
        this(new BetaBinomialMixture(designSamples, designAlpha));
    }

    private BernoulliConfidenceSequence(BetaBinomialMixture mixture) {
        this.mixture = mixture;
    }

    @Override
    public void add(double value) {
        if (value == 1) {
            successes++;
        } else if (value != 0) {
            throw new IllegalArgumentException("a Bernoulli observation is 0 or 1, not " + value);
        }
        trials++;
    }

    /** Adds a batch of trials at once (e.g. a micro-batch's counts); same statistics as one by one. */
    public void addCounts(long successes, long trials) {
        if (successes < 0 || trials < successes) {
            throw new IllegalArgumentException("need 0 <= successes <= trials: " + successes + "/" + trials);
        }
        this.successes += successes;
        this.trials += trials;
    }

    public long successes() {
        return successes;
    }

    @Override
    public long count() {
        return trials;
    }

    @Override
    public double estimate() {
        return trials == 0 ? Double.NaN : (double) successes / trials;
    }

    @Override
    public double lower(double alpha) {
        ConfidenceSequence.checkAlpha(alpha);
        if (successes == 0) {
            return 0;
        }
        refreshMemo(alpha);
        if (!lowerFresh) {
            lowerMemo = boundary(estimate(), 0, lowerMemo, Math.log(1 / alpha));
            lowerFresh = true;
        }
        return lowerMemo;
    }

    @Override
    public double upper(double alpha) {
        ConfidenceSequence.checkAlpha(alpha);
        if (successes == trials) {
            return 1;
        }
        refreshMemo(alpha);
        if (!upperFresh) {
            upperMemo = boundary(estimate(), 1, upperMemo, Math.log(1 / alpha));
            upperFresh = true;
        }
        return upperMemo;
    }

    private void refreshMemo(double alpha) {
        if (alpha != memoAlpha) {
            memoAlpha = alpha;
            lowerMemo = Double.NaN;
            upperMemo = Double.NaN;
            lowerFresh = false;
            upperFresh = false;
        } else if (trials != memoTrials) {
            lowerFresh = false;
            upperFresh = false;
        }
        memoTrials = trials;
    }

    /**
     * The point between {@code inside} (the MLE, where {@code log M <= 0 < threshold}) and the
     * parameter limit {@code outside} where {@code log M} crosses {@code threshold}. Returns a
     * rejected point whose bracket with a non-rejected one is within a relative 1e-7, so the bound
     * is conservative and tight. The crossing is unique on each side of the MLE (checked in the
     * tests). Newton steps, safeguarded as in Numerical Recipes' rtsafe: bisect whenever Newton
     * would leave the bracket or its steps stop shrinking.
     */
    private double boundary(double inside, double outside, double start, double threshold) {
        double s = successes;
        double n = trials;
        double tol = 1e-7 * Math.abs(inside - outside);
        double in = inside;
        double out = outside;
        double x = between(start, in, out) ? start : (in + out) / 2;
        double step = Math.abs(out - in);
        double stepBefore = step;
        for (int i = 0; i < 200; i++) {
            double gx = mixture.logValue(x, s, n) - threshold;
            boolean rejected = gx >= 0;
            if (rejected) {
                out = x;
            } else {
                in = x;
            }
            if (Math.abs(out - in) <= tol) {
                return out;
            }
            double newton = gx / mixture.derivative(x, s, n);
            double next = x - newton;
            if (!between(next, in, out) || !(Math.abs(newton) <= stepBefore / 2)) {
                next = (in + out) / 2;
            } else if (Math.abs(newton) < tol / 2) {
                // Newton has converged on one side: step just across to close the bracket.
                next = x + Math.copySign(0.75 * tol, (rejected ? in : out) - x);
            }
            stepBefore = step;
            step = Math.abs(next - x);
            x = next;
        }
        return out;
    }

    private static boolean between(double x, double a, double b) {
        return x > Math.min(a, b) && x < Math.max(a, b);
    }

    @Override
    public void reset() {
        successes = 0;
        trials = 0;
        memoAlpha = Double.NaN;
        memoTrials = -1;
    }

    @Override
    public BernoulliConfidenceSequence copy() {
        BernoulliConfidenceSequence copy = new BernoulliConfidenceSequence(mixture);
        copy.successes = successes;
        copy.trials = trials;
        copy.copyMemo(memoAlpha, memoTrials, lowerMemo, upperMemo, lowerFresh, upperFresh);
        return copy;
    }

    private void copyMemo(double alpha, long memoTrials, double lower, double upper, boolean lowerFresh,
            boolean upperFresh) {
        this.memoAlpha = alpha;
        this.memoTrials = memoTrials;
        this.lowerMemo = lower;
        this.upperMemo = upper;
        this.lowerFresh = lowerFresh;
        this.upperFresh = upperFresh;
    }

    /**
     * The counts, and the memo too: the root finder starts from the previous bound, so carrying it
     * makes a restored sequence return bit-identical bounds to one that never stopped.
     */
    @Override
    public void writeTo(DataOutput out) throws IOException {
        out.writeLong(successes);
        out.writeLong(trials);
        out.writeDouble(memoAlpha);
        out.writeLong(memoTrials);
        out.writeDouble(lowerMemo);
        out.writeDouble(upperMemo);
        out.writeBoolean(lowerFresh);
        out.writeBoolean(upperFresh);
    }

    static BernoulliConfidenceSequence readFrom(DataInput in, double designSamples, double designAlpha)
            throws IOException {
        BernoulliConfidenceSequence cs = new BernoulliConfidenceSequence(designSamples, designAlpha);
        cs.addCounts(in.readLong(), in.readLong());
        cs.copyMemo(in.readDouble(), in.readLong(), in.readDouble(), in.readDouble(), in.readBoolean(),
                in.readBoolean());
        return cs;
    }
}
