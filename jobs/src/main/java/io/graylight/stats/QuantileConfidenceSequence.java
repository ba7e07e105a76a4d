package io.graylight.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Time-uniform confidence sequence for the {@code q}-quantile of a non-negative quantity
 * (latency, time to first token), read from a {@link QuantileSketch} (Howard and Ramdas 2022,
 * "Sequential estimation of quantiles with applications to A/B-testing and best-arm
 * identification").
 *
 * <p>Why it works: for the true quantile {@code x_q}, the indicators {@code 1{X <= x_q}} are
 * Bernoulli with mean at least {@code q} and {@code 1{X < x_q}} Bernoulli with mean at most
 * {@code q}. The {@link BetaBinomialMixture} at {@code p = q} gives, for every sample size at
 * once, a range {@code [kLow, kHigh]} of counts that a Bernoulli(q) sample stays inside, hence
 * {@code X(kLow) <= x_q <= X(kHigh + 1)} in order statistics. This holds for any distribution, ties
 * included, and needs no density estimate. The sketch returns each order statistic within
 * relative error {@link QuantileSketch#RELATIVE_ACCURACY}, so the bounds are widened by that
 * factor. Until enough data, the lower bound is 0 and the upper bound infinite.
 *
 * <p>The count range depends only on {@code n}, {@code q} and {@code alpha}, and is found by an
 * exact integer search (warm started from a recent sample size: a couple of evaluations per
 * event), so the bounds are a pure function of the sketch, {@code n} and {@code alpha}.
 */
public final class QuantileConfidenceSequence implements ConfidenceSequence {

    // The sketch's value v for a true order statistic x obeys |v - x| <= a x; the extra 1e-12
    // covers rounding in its bin index at bin edges.
    private static final double WIDEN_LOW = (1 - 1e-12) / (1 + QuantileSketch.RELATIVE_ACCURACY);
    private static final double WIDEN_HIGH = (1 + 1e-12) / (1 - QuantileSketch.RELATIVE_ACCURACY);

    private final double q;
    private final BetaBinomialMixture mixture;
    private final BetaBinomialMixture.AtRate atQ;
    private QuantileSketch sketch;
    // QuantileSketch.count() walks the bins; the count is kept here instead.
    private long n;

    private long estimateN = -1;
    private double estimateMemo;
    private long sizeTermN = -1;
    private double sizeTerm;
    private double memoAlpha = Double.NaN;
    private long memoN = -1;
    // Last answers of the rank searches and the sample sizes they were for: warm starts.
    private long lowRank = -1;
    private long lowRankN = -1;
    private long highCount = -1;
    private long highCountN = -1;
    private double lowerMemo = Double.NaN;
    private double upperMemo = Double.NaN;
    private boolean lowerFresh;
    private boolean upperFresh;

    public QuantileConfidenceSequence(double q, double designSamples, double designAlpha) {
        this(q, new BetaBinomialMixture(designSamples, designAlpha), new QuantileSketch(), 0);
    }

    private QuantileConfidenceSequence(double q, BetaBinomialMixture mixture, QuantileSketch sketch, long n) {
        if (!(q > 0 && q < 1)) {
            throw new IllegalArgumentException("quantile must be in (0, 1): " + q);
        }
        this.q = q;
        this.mixture = mixture;
        this.atQ = mixture.atRate(q);
        this.sketch = sketch;
        this.n = n;
    }

    public double quantileLevel() {
        return q;
    }

    @Override
    public void add(double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("a latency is finite and >= 0, not " + value);
        }
        sketch.add(value);
        n++;
    }

    @Override
    public long count() {
        return n;
    }

    @Override
    public double estimate() {
        if (estimateN != n) {
            estimateMemo = n == 0 ? Double.NaN : sketch.quantile(q);
            estimateN = n;
        }
        return estimateMemo;
    }

    @Override
    public double lower(double alpha) {
        ConfidenceSequence.checkAlpha(alpha);
        refreshMemo(alpha);
        if (!lowerFresh) {
            lowRank = lowRank(Math.log(1 / alpha));
            lowRankN = n;
            lowerMemo = lowRank == 0 ? 0 : orderStatistic(lowRank) * WIDEN_LOW;
            lowerFresh = true;
        }
        return lowerMemo;
    }

    @Override
    public double upper(double alpha) {
        ConfidenceSequence.checkAlpha(alpha);
        refreshMemo(alpha);
        if (!upperFresh) {
            highCount = highCount(Math.log(1 / alpha));
            highCountN = n;
            upperMemo = highCount >= n ? Double.POSITIVE_INFINITY : orderStatistic(highCount + 1) * WIDEN_HIGH;
            upperFresh = true;
        }
        return upperMemo;
    }

    private void refreshMemo(double alpha) {
        if (alpha != memoAlpha) {
            memoAlpha = alpha;
            lowRank = -1;
            lowRankN = -1;
            highCount = -1;
            highCountN = -1;
            lowerFresh = false;
            upperFresh = false;
        } else if (n != memoN) {
            lowerFresh = false;
            upperFresh = false;
        }
        memoN = n;
    }

    /** Mixture statistic of "k of the n values fall below x_q" against Bernoulli(q), minus the threshold. */
    private double excess(long k, double threshold) {
        if (sizeTermN != n) {
            sizeTerm = atQ.sizeTerm(n);
            sizeTermN = n;
        }
        return atQ.logValue(k, n, sizeTerm) - threshold;
    }

    /**
     * The smallest count {@code k <= floor(qn)} not rejected: {@code #{X <= x_q} >= k} at all times
     * with probability {@code >= 1 - alpha}; 0 means no lower bound yet. The statistic is convex
     * in {@code k} and below the threshold near {@code qn}, so "not rejected" is monotone on this
     * side and a local search from the previous answer finds the boundary.
     */
    private long lowRank(double threshold) {
        long mode = (long) Math.floor(q * n);
        if (n == 0 || excess(mode, threshold) >= 0) {
            return 0;
        }
        long k = warm(lowRank, lowRankN) ? Math.min(lowRank, mode) : searchLow(mode, threshold);
        while (k > 0 && excess(k - 1, threshold) < 0) {
            k--;
        }
        while (excess(k, threshold) >= 0) {
            k++;
        }
        return k;
    }

    /** The boundary moves by about one count per observation: step from a recent answer, else search. */
    private boolean warm(long previous, long previousN) {
        return previous >= 0 && previousN >= 0 && n - previousN <= 16 && n >= previousN;
    }

    private long searchLow(long mode, double threshold) {
        long rejected = -1;
        long accepted = mode;
        while (accepted - rejected > 1) {
            long mid = (rejected + accepted) >>> 1;
            if (excess(mid, threshold) >= 0) {
                rejected = mid;
            } else {
                accepted = mid;
            }
        }
        return accepted;
    }

    /**
     * The largest count {@code c >= ceil(qn)} not rejected: {@code #{X < x_q} <= c} at all times,
     * so {@code x_q <= X(c + 1)}; {@code c = n} means no upper bound yet.
     */
    private long highCount(double threshold) {
        long mode = (long) Math.ceil(q * n);
        if (n == 0 || excess(mode, threshold) >= 0) {
            return n;
        }
        long c = warm(highCount, highCountN) ? Math.max(highCount, mode) : searchHigh(mode, threshold);
        while (c < n && excess(c + 1, threshold) < 0) {
            c++;
        }
        while (excess(c, threshold) >= 0) {
            c--;
        }
        return c;
    }

    private long searchHigh(long mode, double threshold) {
        long accepted = mode;
        long rejected = n + 1;
        while (rejected - accepted > 1) {
            long mid = (accepted + rejected) >>> 1;
            if (excess(mid, threshold) >= 0) {
                rejected = mid;
            } else {
                accepted = mid;
            }
        }
        return accepted;
    }

    /** The k-th smallest value (1-based), as the sketch reports it: DDSketch reads rank floor(q (n - 1)). */
    private double orderStatistic(long k) {
        double level = n == 1 ? 0 : Math.min(1, (k - 0.5) / (n - 1));
        return sketch.quantile(level);
    }

    /** The sketch, for reading other quantiles; it must not be modified through this reference. */
    public QuantileSketch sketch() {
        return sketch;
    }

    @Override
    public void reset() {
        sketch = new QuantileSketch();
        n = 0;
        estimateN = -1;
        memoAlpha = Double.NaN;
        memoN = -1;
        lowRank = -1;
        lowRankN = -1;
        highCount = -1;
        highCountN = -1;
    }

    @Override
    public QuantileConfidenceSequence copy() {
        return new QuantileConfidenceSequence(q, mixture, sketch.copy(), n);
    }

    @Override
    public void writeTo(DataOutput out) throws IOException {
        byte[] bytes = sketch.toBytes();
        out.writeLong(n);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static QuantileConfidenceSequence readFrom(DataInput in, double q, double designSamples, double designAlpha)
            throws IOException {
        long n = in.readLong();
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new QuantileConfidenceSequence(q, new BetaBinomialMixture(designSamples, designAlpha),
                QuantileSketch.fromBytes(bytes), n);
    }
}
