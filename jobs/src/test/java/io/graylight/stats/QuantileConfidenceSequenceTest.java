package io.graylight.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuantileConfidenceSequenceTest {

    @Test
    void noBoundsUntilTheDataCanSupportThem() {
        QuantileConfidenceSequence cs = new QuantileConfidenceSequence(0.99, 1000, 0.001);
        assertThat(cs.lower(0.01)).isZero();
        assertThat(cs.upper(0.01)).isInfinite();
        for (int i = 1; i <= 100; i++) {
            cs.add(i);
        }
        // 100 values cannot pin a p99 from above: the true p99 may exceed everything seen.
        assertThat(cs.upper(0.01)).isInfinite();
        assertThat(cs.lower(0.01)).isPositive();
    }

    /** The bounds bracket the exact sample quantile and sit on order statistics, widened by the sketch accuracy. */
    @Test
    void boundsAreWidenedOrderStatisticsAroundTheSampleQuantile() {
        SplittableRandom random = new SplittableRandom(3);
        QuantileConfidenceSequence cs = new QuantileConfidenceSequence(0.95, 1000, 0.001);
        double[] values = new double[20_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = 800 * Math.exp(0.5 * Traffic.gaussian(random));
            cs.add(values[i]);
        }
        Arrays.sort(values);
        double exact = values[(int) Math.floor(0.95 * values.length)];
        double lower = cs.lower(0.01);
        double upper = cs.upper(0.01);
        assertThat(lower).isLessThan(exact).isGreaterThan(0.9 * exact);
        assertThat(upper).isGreaterThan(exact).isLessThan(1.1 * exact);
        // Each bound is an order statistic moved out by the sketch's relative accuracy (and no more than twice it).
        double a = QuantileSketch.RELATIVE_ACCURACY;
        assertThat(Arrays.stream(values).anyMatch(v -> lower <= v && v <= lower * (1 + a) / (1 - a) * (1 + a))).isTrue();
        assertThat(Arrays.stream(values).anyMatch(v -> upper >= v && v >= upper * (1 - a) / (1 + a) * (1 - a))).isTrue();
    }

    @Test
    void tiesDoNotBreakTheBounds() {
        QuantileConfidenceSequence cs = new QuantileConfidenceSequence(0.5, 1000, 0.001);
        for (int i = 0; i < 5_000; i++) {
            cs.add(i % 4 == 0 ? 100 : 200);
        }
        // The median is 200 (three values in four); the sequence must contain it.
        assertThat(cs.lower(0.01)).isLessThanOrEqualTo(200);
        assertThat(cs.upper(0.01)).isGreaterThanOrEqualTo(200);
    }

    @Test
    void rejectsNegativeLatenciesAndBadLevels() {
        QuantileConfidenceSequence cs = new QuantileConfidenceSequence(0.95, 1000, 0.001);
        assertThatThrownBy(() -> cs.add(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cs.add(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QuantileConfidenceSequence(1, 1000, 0.001))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
