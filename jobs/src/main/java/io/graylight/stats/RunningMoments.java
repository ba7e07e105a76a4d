package io.graylight.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Count, mean and sum of squared deviations by Welford's update, stable for long streams. */
final class RunningMoments {

    private long n;
    private double mean;
    private double m2;

    void add(double x) {
        n++;
        double delta = x - mean;
        mean += delta / n;
        m2 += delta * (x - mean);
    }

    long count() {
        return n;
    }

    double mean() {
        return n == 0 ? Double.NaN : mean;
    }

    /** Unbiased sample variance; 0 below two observations. */
    double variance() {
        return n < 2 ? 0 : m2 / (n - 1);
    }

    void reset() {
        n = 0;
        mean = 0;
        m2 = 0;
    }

    RunningMoments copy() {
        RunningMoments copy = new RunningMoments();
        copy.n = n;
        copy.mean = mean;
        copy.m2 = m2;
        return copy;
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeLong(n);
        out.writeDouble(mean);
        out.writeDouble(m2);
    }

    static RunningMoments readFrom(DataInput in) throws IOException {
        RunningMoments moments = new RunningMoments();
        moments.n = in.readLong();
        moments.mean = in.readDouble();
        moments.m2 = in.readDouble();
        return moments;
    }
}
