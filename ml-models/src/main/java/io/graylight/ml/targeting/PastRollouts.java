package io.graylight.ml.targeting;

import io.graylight.contracts.telemetry.Cohort;
import io.graylight.contracts.telemetry.RequestStatus;
import io.graylight.contracts.telemetry.TelemetryEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A generative model of past rollouts, the training data of the targeting model: users with
 * traits, a week of their baseline telemetry before a canary, and whether their canary
 * experience was good. It is a simulation with stated assumptions (see the README), not real
 * data; {@link #observe} turns a user into the same telemetry events the streaming job reads.
 *
 * <p>Assumptions: the chance of a bad canary experience (an error, a stall or a thumbs-down on the
 * new version) rises on mobile clients (android most) and API integrations, in the ap-south region
 * (longer network paths), for free-tier users, and falls with tenure and for internal users; a
 * hidden per-user fragility adds to it and also shows, noisily, in the user's baseline telemetry
 * (more failures, retries, slower requests, more thumbs-down). Everything else is noise.
 */
public final class PastRollouts {

    public static final Instant OBSERVATION_START = Instant.parse("2026-11-01T00:00:00Z");
    public static final Duration OBSERVATION = Duration.ofDays(7);
    private static final double[] TIER_WEIGHTS = {0.60, 0.25, 0.12, 0.03};
    private static final double[] REGION_WEIGHTS = {0.35, 0.45, 0.20};
    private static final double[] PLATFORM_WEIGHTS = {0.45, 0.20, 0.20, 0.15};

    private PastRollouts() {}

    /**
     * One simulated user.
     *
     * @param risk log-odds of a bad experience on a typical canary (traits plus hidden fragility)
     * @param fragility the hidden part, which baseline telemetry reveals only noisily
     */
    public record User(String id, String tier, String region, String platform, double tenureDays, double weeklyRequests,
            double fragility, double risk) {

        public Map<String, String> segment() {
            return Map.of("tier", tier, "region", region, "platform", platform,
                    "tenureDays", String.format(java.util.Locale.ROOT, "%.1f", tenureDays));
        }

        /** P(bad experience) on a canary whose badness shifts every user's log-odds by {@code shift}. */
        public double badProbability(double shift) {
            return 1 / (1 + Math.exp(-(risk + shift)));
        }
    }

    /** Users with their feature vectors and labels (1 = good canary experience). */
    public record Dataset(List<User> users, double[][] x, int[] y) {}

    public static List<User> population(long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 17);
        int width = Integer.toString(Math.max(1, count - 1)).length();
        List<User> users = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String tier = pick(UserFeatures.TIERS, TIER_WEIGHTS, random.nextDouble());
            String region = pick(UserFeatures.REGIONS, REGION_WEIGHTS, random.nextDouble());
            String platform = pick(UserFeatures.PLATFORMS, PLATFORM_WEIGHTS, random.nextDouble());
            double tenure = Math.min(2_000, Math.exp(Math.log(120) + 1.1 * gaussian(random)));
            double weekly = Math.exp(Math.log(platform.equals("api") ? 80 : 15) + 0.9 * gaussian(random));
            double fragility = 1.0 * gaussian(random);
            double risk = -1.6 + fragility
                    + switch (platform) { case "android" -> 0.9; case "ios" -> 0.5; case "api" -> 0.7; default -> 0.0; }
                    + switch (region) { case "ap-south" -> 0.8; case "us-east" -> 0.2; default -> 0.0; }
                    + switch (tier) { case "free" -> 0.4; case "enterprise" -> -0.2; case "internal" -> -0.7; default -> 0.0; }
                    - 0.3 * Math.log1p(tenure / 30);
            String id = "user-" + "0".repeat(Math.max(0, width - Integer.toString(i).length())) + i;
            users.add(new User(id, tier, region, platform, tenure, weekly, fragility, risk));
        }
        return users;
    }

    /** A week of the user's baseline telemetry, in time order. */
    public static List<TelemetryEvent> observe(User user, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ (user.id().hashCode() * 0xBF58476D1CE4E5B9L));
        int n = poisson(random, user.weeklyRequests());
        long start = OBSERVATION_START.toEpochMilli();
        long span = OBSERVATION.toMillis();
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            times[i] = start + (long) (random.nextDouble() * span);
        }
        Arrays.sort(times);
        boolean mobile = user.platform().equals("android") || user.platform().equals("ios");
        double failLogit = -4.0 + 1.0 * user.fragility() + (user.platform().equals("android") ? 0.5 : 0)
                + (user.region().equals("ap-south") ? 0.6 : 0);
        double failure = 1 / (1 + Math.exp(-failLogit));
        double feedback = 0.05 + (user.tier().equals("pro") || user.tier().equals("enterprise") ? 0.10 : 0);
        double negative = 1 / (1 + Math.exp(-(-1.3 + 1.2 * user.fragility() + (user.tier().equals("free") ? 0.3 : 0))));
        Map<String, String> segment = user.segment();
        List<TelemetryEvent> events = new ArrayList<>();
        int k = 0;
        for (int i = 0; i < n; i++) {
            long time = times[i];
            boolean retry = true;
            while (retry) {
                retry = false;
                String requestId = user.id() + "-r" + k++;
                boolean failed = random.nextDouble() < failure;
                RequestStatus status = !failed ? RequestStatus.OK : random.nextDouble() < 0.3 ? RequestStatus.TIMEOUT : RequestStatus.ERROR;
                double latency = 2_000 * (user.region().equals("ap-south") ? 1.4 : 1.0) * (mobile ? 1.1 : 1.0)
                        * Math.exp(0.35 * user.fragility() + 0.6 * gaussian(random));
                if (status == RequestStatus.TIMEOUT) {
                    latency = 60_000;
                }
                events.add(TelemetryEvent.request(requestId, Instant.ofEpochMilli(time), "chat", Cohort.BASELINE, "v1", user.id(),
                        segment, status, latency, null, null, null, null, null));
                if (status == RequestStatus.OK && random.nextDouble() < feedback) {
                    int score = random.nextDouble() < negative ? -1 : 1;
                    events.add(TelemetryEvent.feedback(requestId + "-f", Instant.ofEpochMilli(time + 5_000), "chat",
                            Cohort.BASELINE, "v1", user.id(), segment, requestId, score));
                }
                if (failed && random.nextDouble() < 0.6) {
                    time += 5_000 + (long) (random.nextDouble() * 35_000);
                    retry = true;
                }
            }
        }
        events.sort(java.util.Comparator.comparing(TelemetryEvent::timestamp));
        return events;
    }

    public static UserFeatures features(User user, long seed) {
        UserFeatures features = new UserFeatures();
        observe(user, seed).forEach(features::add);
        return features;
    }

    /** Users, their features from a week of baseline telemetry, and their canary outcome on a typical canary. */
    public static Dataset generate(long seed, int count) {
        List<User> users = population(seed, count);
        double[][] x = new double[count][];
        int[] y = new int[count];
        SplittableRandom outcomes = new SplittableRandom(seed + 0x5EED);
        for (int i = 0; i < count; i++) {
            User user = users.get(i);
            x[i] = features(user, seed).vector();
            y[i] = outcomes.nextDouble() < user.badProbability(0) ? 0 : 1;
        }
        return new Dataset(users, x, y);
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

    static double gaussian(SplittableRandom random) {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static int poisson(SplittableRandom random, double mean) {
        if (mean > 50) {
            return Math.max(0, (int) Math.round(mean + Math.sqrt(mean) * gaussian(random)));
        }
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }
}
