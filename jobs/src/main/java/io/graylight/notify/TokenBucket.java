package io.graylight.notify;

import java.util.function.LongSupplier;

/**
 * A token bucket: up to {@code capacity} tokens, refilled continuously at {@code capacity} per
 * {@code periodNanos}; each send takes one. Not thread-safe: its owner synchronises.
 */
final class TokenBucket {

    private final double capacity;
    private final double tokensPerNano;
    private final LongSupplier nanoClock;
    private double tokens;
    private long last;

    TokenBucket(int capacity, long periodNanos, LongSupplier nanoClock) {
        this.capacity = capacity;
        this.tokensPerNano = capacity / (double) periodNanos;
        this.nanoClock = nanoClock;
        this.tokens = capacity;
        this.last = nanoClock.getAsLong();
    }

    boolean tryTake() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(capacity, tokens + (now - last) * tokensPerNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
