package io.graylight.ml.targeting;

import io.graylight.contracts.telemetry.EventType;
import io.graylight.contracts.telemetry.RequestStatus;
import io.graylight.contracts.telemetry.TelemetryEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A user's running telemetry summary and the targeting feature vector made from it. The same
 * class is the streaming job's keyed state (a plain mutable POJO, bounded: counters only) and
 * the training code's feature extractor, so training and scoring cannot drift apart.
 *
 * <p>Features: activity, error/timeout exposure, retries (a request within a minute after the
 * user's own failed one), latency exposure, feedback propensity and negativity, tenure (the
 * segment's {@code tenureDays} when the router sends it, else days since first seen), and
 * one-hot tier, region and platform.
 */
public class UserFeatures {

    public static final List<String> TIERS = List.of("free", "pro", "enterprise", "internal");
    public static final List<String> REGIONS = List.of("eu-west", "us-east", "ap-south");
    public static final List<String> PLATFORMS = List.of("web", "ios", "android", "api");
    public static final List<String> NAMES = names();
    public static final int SIZE = NAMES.size();

    static final long RETRY_WINDOW_MS = 60_000;
    static final double SLOW_MS = 10_000;

    public long firstSeenMillis = Long.MIN_VALUE;
    public long lastSeenMillis = Long.MIN_VALUE;
    public long lastFailureMillis = Long.MIN_VALUE;
    public long requests;
    public long errors;
    public long timeouts;
    public long retries;
    public long slow;
    public double logLatencySum;
    public long feedback;
    public long negative;
    public double tenureDays = Double.NaN;
    public String tier;
    public String region;
    public String platform;

    public UserFeatures() {}

    private static List<String> names() {
        List<String> names = new ArrayList<>(List.of("log_requests", "error_exposure", "timeout_exposure", "retry_rate",
                "mean_log_latency", "slow_share", "feedback_propensity", "feedback_negativity", "log_tenure_days"));
        TIERS.forEach(t -> names.add("tier=" + t));
        REGIONS.forEach(r -> names.add("region=" + r));
        PLATFORMS.forEach(p -> names.add("platform=" + p));
        return List.copyOf(names);
    }

    public void add(TelemetryEvent event) {
        long time = event.timestampMillis();
        if (firstSeenMillis == Long.MIN_VALUE || time < firstSeenMillis) {
            firstSeenMillis = time;
        }
        lastSeenMillis = Math.max(lastSeenMillis, time);
        Map<String, String> segment = event.segment();
        if (segment != null) {
            tier = segment.getOrDefault("tier", tier);
            region = segment.getOrDefault("region", region);
            platform = segment.getOrDefault("platform", platform);
            String tenure = segment.get("tenureDays");
            if (tenure != null) {
                try {
                    double days = Double.parseDouble(tenure);
                    if (days >= 0 && Double.isFinite(days)) {
                        tenureDays = days;
                    }
                } catch (NumberFormatException ignored) {
                    // A malformed optional attribute: fall back to days since first seen.
                }
            }
        }
        if (event.type() == EventType.FEEDBACK) {
            feedback++;
            if (event.score() != null && event.score() < 0) {
                negative++;
            }
            return;
        }
        requests++;
        if (lastFailureMillis != Long.MIN_VALUE && time >= lastFailureMillis && time - lastFailureMillis <= RETRY_WINDOW_MS) {
            retries++;
        }
        RequestStatus status = event.status();
        if (status == RequestStatus.ERROR || status == RequestStatus.TIMEOUT) {
            if (status == RequestStatus.ERROR) {
                errors++;
            } else {
                timeouts++;
            }
            lastFailureMillis = time;
        }
        if (event.latencyMs() != null) {
            logLatencySum += Math.log1p(event.latencyMs());
            if (event.latencyMs() >= SLOW_MS) {
                slow++;
            }
        }
    }

    /** The feature vector, in {@link #NAMES} order. */
    public double[] vector() {
        double[] x = new double[SIZE];
        double n = requests;
        x[0] = Math.log1p(n);
        x[1] = (errors + 0.5) / (n + 1);
        x[2] = (timeouts + 0.5) / (n + 1);
        x[3] = (retries + 0.5) / (n + 1);
        x[4] = n > 0 ? logLatencySum / n : 0;
        x[5] = (slow + 0.5) / (n + 1);
        x[6] = (feedback + 0.5) / (n + 1);
        x[7] = (negative + 0.5) / (feedback + 1);
        double tenure = !Double.isNaN(tenureDays) ? tenureDays
                : firstSeenMillis == Long.MIN_VALUE ? 0 : (lastSeenMillis - firstSeenMillis) / 86_400_000.0;
        x[8] = Math.log1p(tenure);
        int offset = 9;
        oneHot(x, offset, TIERS, tier);
        oneHot(x, offset + TIERS.size(), REGIONS, region);
        oneHot(x, offset + TIERS.size() + REGIONS.size(), PLATFORMS, platform);
        return x;
    }

    private static void oneHot(double[] x, int offset, List<String> values, String value) {
        int index = value == null ? -1 : values.indexOf(value);
        if (index >= 0) {
            x[offset + index] = 1;
        }
    }
}
