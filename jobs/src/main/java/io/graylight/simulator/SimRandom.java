package io.graylight.simulator;

import java.util.UUID;

/**
 * The simulator's random numbers: SplitMix64 with {@link StrictMath} for the transcendental
 * functions.
 *
 * <p>Written out here rather than taken from {@code java.util} because the simulator promises
 * byte-identical output for a seed: this algorithm is fixed by its code, not by a JDK release,
 * and StrictMath gives the same bits on every JVM and platform (Math may use intrinsics).
 * Not thread-safe; one instance per stream.
 */
final class SimRandom {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    SimRandom(long seed) {
        this.state = seed;
    }

    /**
     * An independent stream for one purpose ({@code stream}) and one item ({@code index}), so that
     * what happens to one request never shifts the random numbers of another.
     */
    static SimRandom of(long seed, long stream, long index) {
        return new SimRandom(mix64(mix64(seed ^ mix64(stream * GOLDEN_GAMMA)) + index * GOLDEN_GAMMA));
    }

    long nextLong() {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound). */
    int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        return (int) ((nextLong() >>> 33) * bound >>> 31);
    }

    /** Standard normal by Box-Muller; always consumes exactly two uniforms. */
    double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1], so the log is finite
        double u2 = nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
    }

    /** Exponential with mean 1. */
    double nextExponential() {
        return -StrictMath.log(1.0 - nextDouble());
    }

    /** A random (version 4 layout) UUID drawn from this stream, so event ids are reproducible. */
    String nextUuid() {
        long hi = (nextLong() & ~0xF000L) | 0x4000L;
        long lo = (nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    /** Log-normal noise with median 1: {@code exp(sigma * z)}. */
    static double logNormal(double z, double sigma) {
        return StrictMath.exp(sigma * z);
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
