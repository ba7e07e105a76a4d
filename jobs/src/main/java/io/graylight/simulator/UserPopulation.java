package io.graylight.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The simulated users of an application, drawn from the seed: segments with realistic mixes and
 * Zipf-like activity, so that a few heavy users send a large share of the requests (as in real
 * LLM products, where API integrations and power users dominate).
 */
public final class UserPopulation {

    public static final List<String> REGIONS = List.of("eu-west", "us-east", "ap-south");
    public static final List<String> TIERS = List.of("free", "pro", "enterprise", "internal");
    public static final List<String> PLATFORMS = List.of("web", "ios", "android", "api");

    private static final double[] REGION_WEIGHTS = {0.35, 0.45, 0.20};
    private static final double[] TIER_WEIGHTS = {0.60, 0.25, 0.12, 0.03};
    private static final double[] PLATFORM_WEIGHTS = {0.45, 0.20, 0.20, 0.15};

    /**
     * Exponent of the activity ranks. Below 1 so that the heaviest of 2,000 users sends a few
     * percent of the traffic, not a tenth: skewed, yet no single user decides a cohort's metrics.
     */
    static final double ZIPF_EXPONENT = 0.8;

    private static final long USERS_STREAM = 0x55534552L; // "USER"

    private final List<SimulatedUser> users;
    private final double[] cumulativeWeight;

    public UserPopulation(long seed, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("need at least one user: " + count);
        }
        SimRandom random = SimRandom.of(seed, USERS_STREAM, 0);
        int[] rank = new int[count];
        for (int i = 0; i < count; i++) {
            rank[i] = i;
        }
        for (int i = count - 1; i > 0; i--) { // Fisher-Yates: activity must not follow the user id
            int j = random.nextInt(i + 1);
            int swap = rank[i];
            rank[i] = rank[j];
            rank[j] = swap;
        }
        int width = Integer.toString(count - 1).length();
        List<SimulatedUser> list = new ArrayList<>(count);
        cumulativeWeight = new double[count];
        double total = 0;
        for (int i = 0; i < count; i++) {
            Map<String, String> segment = Map.of(
                    "region", pick(REGIONS, REGION_WEIGHTS, random.nextDouble()),
                    "tier", pick(TIERS, TIER_WEIGHTS, random.nextDouble()),
                    "platform", pick(PLATFORMS, PLATFORM_WEIGHTS, random.nextDouble()));
            double weight = StrictMath.pow(rank[i] + 1, -ZIPF_EXPONENT);
            String id = "user-" + "0".repeat(Math.max(0, width - Integer.toString(i).length())) + i;
            list.add(new SimulatedUser(id, segment, weight));
            total += weight;
            cumulativeWeight[i] = total;
        }
        users = List.copyOf(list);
    }

    public int size() {
        return users.size();
    }

    public SimulatedUser get(int index) {
        return users.get(index);
    }

    public List<SimulatedUser> all() {
        return users;
    }

    /** The index of the user who sends a request, for a uniform {@code u} in [0, 1). */
    int pickIndex(double u) {
        double target = u * cumulativeWeight[cumulativeWeight.length - 1];
        int found = Arrays.binarySearch(cumulativeWeight, target);
        int index = found >= 0 ? found + 1 : -found - 1;
        return Math.min(index, cumulativeWeight.length - 1);
    }

    private static String pick(List<String> values, double[] weights, double u) {
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            if (u < sum) {
                return values.get(i);
            }
        }
        return values.get(values.size() - 1);
    }
}
