package io.graylight.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MeanConfidenceSequencesTest {

    @Test
    void boundedMeanStaysInTheUnitIntervalAndShrinksWithData() {
        BoundedMeanConfidenceSequence cs = new BoundedMeanConfidenceSequence(0.001);
        assertThat(cs.lower(0.05)).isZero();
        assertThat(cs.upper(0.05)).isEqualTo(1);
        double previousWidth = 1;
        for (int i = 1; i <= 10_000; i++) {
            cs.add(i % 5 == 0 ? 0.2 : 0.9);
            if (i % 1000 == 0) {
                double width = cs.upper(0.05) - cs.lower(0.05);
                assertThat(width).isLessThan(previousWidth);
                previousWidth = width;
            }
        }
        assertThat(cs.estimate()).isEqualTo(0.76, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(previousWidth).isLessThan(0.05);
        assertThatThrownBy(() -> cs.add(1.01)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void asymptoticMeanGivesNoBoundBeforeItsMinimumSampleCount() {
        AsymptoticMeanConfidenceSequence cs = new AsymptoticMeanConfidenceSequence(1000, 0.001, 100, 0.01);
        for (int i = 0; i < 99; i++) {
            cs.add(0.002);
        }
        assertThat(cs.lower(0.05)).isZero();
        assertThat(cs.upper(0.05)).isInfinite();
        cs.add(0.002);
        // Identical values: the variance floor (1 % of the mean) keeps a non-zero width.
        assertThat(cs.upper(0.05)).isGreaterThan(0.002);
        assertThat(cs.lower(0.05)).isLessThan(0.002).isPositive();
        assertThat(cs.standardDeviation()).isEqualTo(0.00002, org.assertj.core.api.Assertions.within(1e-12));
        assertThatThrownBy(() -> cs.add(-0.001)).isInstanceOf(IllegalArgumentException.class);
    }
}
