package io.graylight.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

class SpecialFunctionsTest {

    @Test
    void logGammaMatchesCommonsMathFromTinyToHugeArguments() {
        for (double x = 1e-8; x < 1e8; x *= 1.07) {
            double expected = Gamma.logGamma(x);
            assertThat(SpecialFunctions.logGamma(x)).as("x=%s", x)
                    .isCloseTo(expected, within(1e-13 * Math.max(1, Math.abs(expected))));
        }
    }

    @Test
    void digammaMatchesKnownValues() {
        double eulerGamma = 0.5772156649015329;
        assertThat(SpecialFunctions.digamma(1)).isCloseTo(-eulerGamma, within(1e-13));
        assertThat(SpecialFunctions.digamma(0.5)).isCloseTo(-eulerGamma - 2 * Math.log(2), within(1e-13));
        assertThat(SpecialFunctions.digamma(100)).isCloseTo(4.600161852738087, within(1e-13));
        // Commons Math's own series for x >= 49 is off by ~1e-9, so compare loosely there.
        for (double x = 1e-6; x < 1e7; x *= 1.11) {
            assertThat(SpecialFunctions.digamma(x)).as("x=%s", x)
                    .isCloseTo(Gamma.digamma(x), within(1e-8 * Math.max(1, Math.abs(Gamma.digamma(x)))));
        }
    }

    @Test
    void digammaIsTheDerivativeOfLogGamma() {
        for (double x : new double[] {0.01, 0.6, 3, 47, 12_345}) {
            double h = 1e-5 * x;
            double numeric = (SpecialFunctions.logGamma(x + h) - SpecialFunctions.logGamma(x - h)) / (2 * h);
            assertThat(SpecialFunctions.digamma(x)).isCloseTo(numeric, within(1e-6 * Math.max(1, Math.abs(numeric))));
        }
    }
}
