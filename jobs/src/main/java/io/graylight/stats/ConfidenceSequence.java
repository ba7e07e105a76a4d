package io.graylight.stats;

import java.io.DataOutput;
import java.io.IOException;

/**
 * A time-uniform confidence sequence for one parameter of one stream of observations.
 *
 * <p>Contract: for every {@code alpha}, with probability at least {@code 1 - alpha} the parameter
 * lies in {@code [lower(alpha), upper(alpha)]} at <em>every</em> sample count simultaneously, so
 * the bounds may be read after each observation and acted on at any data-dependent time. Each
 * end alone is therefore also a one-sided bound at level {@code alpha} (conservatively). Bounds
 * the data cannot support yet are the parameter's natural limits, which may be infinite. Once
 * there is data, {@code lower(alpha) <= estimate() <= upper(alpha)} for every alpha, which lets
 * a comparison skip the side of the test the point estimates already rule out.
 *
 * <p>The state is a handful of sufficient statistics (or a quantile sketch), never raw values.
 */
public interface ConfidenceSequence {

    void add(double value);

    long count();

    /** The point estimate, NaN before the first observation. */
    double estimate();

    double lower(double alpha);

    double upper(double alpha);

    void reset();

    ConfidenceSequence copy();

    void writeTo(DataOutput out) throws IOException;

    static void checkAlpha(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1): " + alpha);
        }
    }
}
