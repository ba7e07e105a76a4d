package io.graylight.contracts.routing;

import io.graylight.contracts.telemetry.Cohort;
import java.nio.charset.StandardCharsets;

/**
 * Sticky assignment of users to cohorts, shared by the simulator and the router.
 *
 * <p>A user falls into one of {@link #BUCKETS} buckets by MurmurHash3 (x86, 32 bit, seed 0) of
 * {@code salt + ":" + userId} in UTF-8; the canary gets the lowest buckets. This makes the
 * assignment
 * <ul>
 *   <li>stable: the hash is fixed by its definition, unlike {@code String.hashCode} or anything
 *       JVM-, process- or version-dependent, so the router and the simulator agree forever;</li>
 *   <li>monotone: raising the canary percent only adds users to the canary, so nobody flips
 *       back and forth between versions during a rollout;</li>
 *   <li>independent per release: the release name is the salt, so the 10 % canary of one release
 *       is not the same 10 % of users as another's.</li>
 * </ul>
 * The percent has a granularity of 0.01 (one bucket).
 */
public final class CohortAssignment {

    public static final int BUCKETS = 10_000;

    private CohortAssignment() {}

    /** The user's bucket in [0, {@value #BUCKETS}). */
    public static int bucket(String salt, String userId) {
        byte[] key = (salt + ":" + userId).getBytes(StandardCharsets.UTF_8);
        return (int) (Integer.toUnsignedLong(murmur3x86_32(key, 0)) % BUCKETS);
    }

    /** Whether a user in {@code bucket} gets the canary when it serves {@code canaryPercent} % of users. */
    public static boolean isCanary(int bucket, double canaryPercent) {
        return bucket < threshold(canaryPercent);
    }

    public static boolean isCanary(String salt, String userId, double canaryPercent) {
        return isCanary(bucket(salt, userId), canaryPercent);
    }

    public static Cohort cohort(String salt, String userId, double canaryPercent) {
        return isCanary(salt, userId, canaryPercent) ? Cohort.CANARY : Cohort.BASELINE;
    }

    /** Rounded, because 0.07 * 100 is 7.000000000000001 in binary floating point. */
    private static long threshold(double canaryPercent) {
        if (!(canaryPercent >= 0.0 && canaryPercent <= 100.0)) {
            throw new IllegalArgumentException("canary percent must be in [0, 100]: " + canaryPercent);
        }
        return Math.round(canaryPercent * (BUCKETS / 100));
    }

    /** MurmurHash3_x86_32 as published by Austin Appleby (public domain). */
    static int murmur3x86_32(byte[] data, int seed) {
        final int c1 = 0xcc9e2d51;
        final int c2 = 0x1b873593;
        int h1 = seed;
        int blocks = data.length / 4;
        for (int i = 0; i < blocks; i++) {
            int k1 = (data[4 * i] & 0xff)
                    | (data[4 * i + 1] & 0xff) << 8
                    | (data[4 * i + 2] & 0xff) << 16
                    | (data[4 * i + 3] & 0xff) << 24;
            k1 *= c1;
            k1 = Integer.rotateLeft(k1, 15);
            k1 *= c2;
            h1 ^= k1;
            h1 = Integer.rotateLeft(h1, 13);
            h1 = h1 * 5 + 0xe6546b64;
        }
        int tail = blocks * 4;
        int remaining = data.length & 3;
        if (remaining > 0) {
            int k1 = 0;
            for (int i = remaining - 1; i >= 0; i--) {
                k1 = k1 << 8 | (data[tail + i] & 0xff);
            }
            k1 *= c1;
            k1 = Integer.rotateLeft(k1, 15);
            k1 *= c2;
            h1 ^= k1;
        }
        h1 ^= data.length;
        h1 ^= h1 >>> 16;
        h1 *= 0x85ebca6b;
        h1 ^= h1 >>> 13;
        h1 *= 0xc2b2ae35;
        h1 ^= h1 >>> 16;
        return h1;
    }
}
