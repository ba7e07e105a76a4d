package io.graylight.rollout;

import io.graylight.stats.BernoulliConfidenceSequence;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * Who is sending telemetry within the current stage: request counts per cohort, when the canary was
 * last heard of, and the baseline's health: a one-minute ring of per-second buckets, and a
 * reference built from the buckets that leave the ring while no incident is on, so that a long
 * incident is compared with the healthy baseline before it rather than with itself. It answers
 * the questions the guard statistics cannot: is the canary silent, and is the baseline itself in
 * trouble?
 */
final class CohortTraffic {

    /** Recent-window length for incident detection, in one-second buckets. */
    static final int RECENT_SECONDS = 60;
    /** Canary events we would have expected before calling silence: P(none | Poisson(30)) ~ 1e-13. */
    static final double SILENCE_EXPECTED_EVENTS = 30;
    static final long SILENCE_MIN_GAP_MILLIS = 10_000;
    static final long INCIDENT_MIN_RECENT_REQUESTS = 50;
    static final long SRM_MIN_REQUESTS = 2000;
    static final double SRM_FACTOR = 3;
    static final double SRM_ALPHA = 0.001;
    static final long INCIDENT_MIN_REFERENCE_REQUESTS = 200;

    long baselineRequests;
    long canaryRequests;
    long referenceRequests;
    long referenceFailures;
    double referenceLatencySum;
    boolean incident;
    long lastCanaryMillis = Long.MIN_VALUE;
    long baselineSinceCanary;
    long stageStartMillis;

    private final long[] recentSecond = new long[RECENT_SECONDS];
    private final long[] recentRequests = new long[RECENT_SECONDS];
    private final long[] recentFailures = new long[RECENT_SECONDS];
    private final double[] recentLatencySum = new double[RECENT_SECONDS];

    void startStage(long eventTimeMillis) {
        baselineRequests = canaryRequests = baselineSinceCanary = referenceRequests = referenceFailures = 0;
        referenceLatencySum = 0;
        incident = false;
        lastCanaryMillis = Long.MIN_VALUE;
        stageStartMillis = eventTimeMillis;
        java.util.Arrays.fill(recentSecond, Long.MIN_VALUE);
    }

    void onRequest(boolean canary, long eventTimeMillis, boolean failed, double latencyMs) {
        if (canary) {
            canaryRequests++;
            lastCanaryMillis = Math.max(lastCanaryMillis, eventTimeMillis);
            baselineSinceCanary = 0;
            return;
        }
        baselineRequests++;
        baselineSinceCanary++;
        long second = Math.floorDiv(eventTimeMillis, 1000);
        int slot = (int) Math.floorMod(second, RECENT_SECONDS);
        if (recentSecond[slot] != second) {
            if (recentSecond[slot] != Long.MIN_VALUE && recentSecond[slot] < second && !incident) {
                referenceRequests += recentRequests[slot];
                referenceFailures += recentFailures[slot];
                referenceLatencySum += recentLatencySum[slot];
            }
            recentSecond[slot] = second;
            recentRequests[slot] = recentFailures[slot] = 0;
            recentLatencySum[slot] = 0;
        }
        recentRequests[slot]++;
        recentFailures[slot] += failed ? 1 : 0;
        recentLatencySum[slot] += latencyMs;
    }

    /**
     * Silence: the baseline kept flowing for long enough that, at the canary's share of traffic, we
     * would have seen {@value #SILENCE_EXPECTED_EVENTS} canary events, and we saw none.
     */
    Optional<String> silence(long nowMillis, double nominalPercent) {
        if (nominalPercent <= 0 || nominalPercent >= 100) {
            return Optional.empty();
        }
        long silentSince = lastCanaryMillis == Long.MIN_VALUE ? stageStartMillis : lastCanaryMillis;
        if (nowMillis - silentSince < SILENCE_MIN_GAP_MILLIS) {
            return Optional.empty();
        }
        double ratio = canaryRequests >= 20 && baselineRequests >= 20
                ? (double) canaryRequests / baselineRequests
                : nominalPercent / (100 - nominalPercent);
        double expected = baselineSinceCanary * ratio;
        if (expected < SILENCE_EXPECTED_EVENTS) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT,
                "canary silent for %ds while the baseline sent %d requests (%.0f canary requests expected)",
                (nowMillis - silentSince) / 1000, baselineSinceCanary, expected));
    }

    /**
     * An incident: the baseline, which did not change, got markedly worse in the last minute than
     * its healthy reference. Whatever hurts it is not the canary, so this holds, never rolls back.
     */
    Optional<String> baselineIncident(long nowMillis) {
        Optional<String> found = findIncident(nowMillis);
        incident = found.isPresent();
        return found;
    }

    private Optional<String> findIncident(long nowMillis) {
        if (referenceRequests < INCIDENT_MIN_REFERENCE_REQUESTS) {
            return Optional.empty();
        }
        long nowSecond = Math.floorDiv(nowMillis, 1000);
        long requests = 0;
        long failures = 0;
        double latency = 0;
        for (int i = 0; i < RECENT_SECONDS; i++) {
            if (recentSecond[i] != Long.MIN_VALUE && nowSecond - recentSecond[i] < RECENT_SECONDS) {
                requests += recentRequests[i];
                failures += recentFailures[i];
                latency += recentLatencySum[i];
            }
        }
        if (requests < INCIDENT_MIN_RECENT_REQUESTS) {
            return Optional.empty();
        }
        double referenceFailureRate = (double) referenceFailures / referenceRequests;
        double recentFailureRate = (double) failures / requests;
        if (recentFailureRate >= Math.max(3 * referenceFailureRate, referenceFailureRate + 0.03)) {
            return Optional.of(String.format(Locale.ROOT,
                    "baseline degraded: %.1f%% failed in the last minute vs %.1f%% before (an incident, not the canary)",
                    100 * recentFailureRate, 100 * referenceFailureRate));
        }
        double referenceMeanLatency = referenceLatencySum / referenceRequests;
        double recentMeanLatency = latency / requests;
        if (recentMeanLatency >= 2 * referenceMeanLatency) {
            return Optional.of(String.format(Locale.ROOT,
                    "baseline degraded: mean latency %.0f ms in the last minute vs %.0f ms before (an incident, not the canary)",
                    recentMeanLatency, referenceMeanLatency));
        }
        return Optional.empty();
    }

    /**
     * Sample-ratio mismatch: with a percentage strategy the canary's share of requests should be
     * near its share of users. Users differ in activity, so only a gross mismatch, outside a factor
     * of {@value #SRM_FACTOR} of the nominal share with confidence, points at the router (a stale
     * split, a broken sticky hash, a cohort tag lost on the way) rather than at chance.
     */
    Optional<String> sampleRatioMismatch(double nominalPercent) {
        long total = baselineRequests + canaryRequests;
        if (total < SRM_MIN_REQUESTS || nominalPercent <= 0 || nominalPercent >= 100) {
            return Optional.empty();
        }
        BernoulliConfidenceSequence share = new BernoulliConfidenceSequence(total, SRM_ALPHA);
        share.addCounts(canaryRequests, total);
        double expected = nominalPercent / 100;
        if (share.upper(SRM_ALPHA) < expected / SRM_FACTOR || share.lower(SRM_ALPHA) > Math.min(1, expected * SRM_FACTOR)) {
            return Optional.of(String.format(Locale.ROOT,
                    "sample ratio mismatch: the canary served %.1f%% of %d requests this stage, the plan says %.1f%% of users;"
                            + " check the router", 100 * share.estimate(), total, nominalPercent));
        }
        return Optional.empty();
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeLong(baselineRequests);
        out.writeLong(canaryRequests);
        out.writeLong(referenceRequests);
        out.writeLong(referenceFailures);
        out.writeDouble(referenceLatencySum);
        out.writeBoolean(incident);
        out.writeLong(lastCanaryMillis);
        out.writeLong(baselineSinceCanary);
        out.writeLong(stageStartMillis);
        for (int i = 0; i < RECENT_SECONDS; i++) {
            out.writeLong(recentSecond[i]);
            out.writeLong(recentRequests[i]);
            out.writeLong(recentFailures[i]);
            out.writeDouble(recentLatencySum[i]);
        }
    }

    static CohortTraffic readFrom(DataInput in) throws IOException {
        CohortTraffic t = new CohortTraffic();
        t.baselineRequests = in.readLong();
        t.canaryRequests = in.readLong();
        t.referenceRequests = in.readLong();
        t.referenceFailures = in.readLong();
        t.referenceLatencySum = in.readDouble();
        t.incident = in.readBoolean();
        t.lastCanaryMillis = in.readLong();
        t.baselineSinceCanary = in.readLong();
        t.stageStartMillis = in.readLong();
        for (int i = 0; i < RECENT_SECONDS; i++) {
            t.recentSecond[i] = in.readLong();
            t.recentRequests[i] = in.readLong();
            t.recentFailures[i] = in.readLong();
            t.recentLatencySum[i] = in.readDouble();
        }
        return t;
    }
}
