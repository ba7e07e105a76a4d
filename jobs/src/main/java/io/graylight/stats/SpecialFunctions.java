package io.graylight.stats;

/**
 * {@code log Gamma} and digamma for positive arguments, several times faster than Commons Math
 * for the small arguments a beta prior produces (they sit on the per-event path of every rate
 * guard). Recurrence up to 10, then the Stirling / asymptotic series; absolute error below 1e-13,
 * far under the slack of any bound built on them (checked against Commons Math in the tests).
 */
final class SpecialFunctions {

    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
    private static final double SHIFT = 10;

    private SpecialFunctions() {}

    static double logGamma(double x) {
        if (!(x > 0)) {
            throw new IllegalArgumentException("logGamma needs x > 0: " + x);
        }
        double product = 1;
        while (x < SHIFT) {
            product *= x;
            x += 1;
        }
        double inverse = 1 / x;
        double inverseSq = inverse * inverse;
        double series = inverse * (1.0 / 12 - inverseSq * (1.0 / 360 - inverseSq * (1.0 / 1260
                - inverseSq * (1.0 / 1680 - inverseSq / 1188))));
        double stirling = (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + series;
        return product == 1 ? stirling : stirling - Math.log(product);
    }

    static double digamma(double x) {
        if (!(x > 0)) {
            throw new IllegalArgumentException("digamma needs x > 0: " + x);
        }
        double shift = 0;
        while (x < SHIFT) {
            shift -= 1 / x;
            x += 1;
        }
        double inverseSq = 1 / (x * x);
        double series = inverseSq * (1.0 / 12 - inverseSq * (1.0 / 120 - inverseSq * (1.0 / 252
                - inverseSq * (1.0 / 240 - inverseSq / 132))));
        return shift + Math.log(x) - 0.5 / x - series;
    }
}
