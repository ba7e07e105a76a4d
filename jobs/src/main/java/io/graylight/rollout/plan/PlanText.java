package io.graylight.rollout.plan;

import java.math.BigDecimal;

/** Numbers as an operator writes them in a plan, for messages and listings. */
final class PlanText {

    private PlanText() {}

    /** {@code 5.0} as {@code 5}, {@code 0.25} as {@code 0.25}, never {@code 1.0E-4}. */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** A fraction as a percent without binary noise: {@code 0.07} as {@code 7%}. */
    static String percentOf(double fraction) {
        if (Double.isNaN(fraction) || Double.isInfinite(fraction)) {
            return fraction + "%";
        }
        return BigDecimal.valueOf(fraction).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }
}
