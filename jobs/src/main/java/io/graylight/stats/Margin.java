package io.graylight.stats;

/**
 * The worsening a guard tolerates, in the metric's units ({@code error_rate +0.002}) or as a
 * fraction of the baseline ({@code latency_p95 +10 %}: canary up to {@code 1.1 x} baseline; for a
 * lower-is-worse metric, down to {@code 0.9 x}).
 */
public record Margin(double amount, boolean relative) {

    public Margin {
        if (!(amount >= 0) || Double.isInfinite(amount)) {
            throw new IllegalArgumentException("a margin is finite and >= 0: " + amount);
        }
    }

    public static Margin absolute(double amount) {
        return new Margin(amount, false);
    }

    public static Margin relative(double fraction) {
        return new Margin(fraction, true);
    }

    @Override
    public String toString() {
        return relative ? "+" + amount * 100 + " %" : "+" + amount;
    }
}
