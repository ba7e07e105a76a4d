package io.graylight.ml.anomaly;

import io.graylight.contracts.metrics.CohortMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * The feature vector of one release and window: how the canary differs from the baseline in the
 * same window ({@code contrast.*}), and how each cohort differs from its own recent history
 * ({@code canary.*}, {@code baseline.*}), for eleven metrics.
 *
 * <p>Each feature is a signed, size-aware difference, so that a 50-request canary window and a
 * 5,000-request baseline window are on one scale: a two-proportion z statistic for rates (with
 * half-count smoothing), and for latency, TTFT, tokens, cost and quality the difference of logs
 * (of means for quality) times the square root of the effective sample size. Positive means
 * worse or larger, except quality, where positive means lower quality. Missing values (a window
 * without feedback or TTFT samples, a history still warming up) give 0: no evidence either way.
 */
public final class AnomalyFeatures {

    /** Rate metrics: error, timeout, refusal (status filtered), negative feedback. */
    public static final List<String> METRICS = List.of(
            "error_rate", "timeout_rate", "refusal_rate", "negative_feedback_rate",
            "latency_p50", "latency_p90", "latency_p95", "ttft_p95",
            "output_tokens_per_request", "cost_per_request", "quality_drop");
    public static final int RATES = 4;
    public static final int CONTINUOUS = METRICS.size() - RATES;
    public static final int PER_BLOCK = METRICS.size();
    public static final int CONTRAST = 0;
    public static final int CANARY = PER_BLOCK;
    public static final int BASELINE = 2 * PER_BLOCK;
    public static final int SIZE = 3 * PER_BLOCK;
    /** Feature names in vector order, as written to the model metadata. */
    public static final List<String> NAMES = names();

    static final double CAP = 50;
    /** Quality scores spread by about this much per request. */
    private static final double QUALITY_SCALE = 0.2;

    private AnomalyFeatures() {}

    private static List<String> names() {
        List<String> names = new ArrayList<>();
        for (String block : List.of("contrast.", "canary.", "baseline.")) {
            for (String metric : METRICS) {
                names.add(block + metric);
            }
        }
        return List.copyOf(names);
    }

    /**
     * The vector for a pair of windows, given each cohort's history before these windows
     * (not yet updated with them).
     */
    public static double[] vector(CohortMetrics canary, CohortMetrics baseline, CohortHistory canaryHistory, CohortHistory baselineHistory) {
        double[] x = new double[SIZE];
        Observation c = observe(canary);
        Observation b = observe(baseline);
        compare(c, b, x, CONTRAST);
        if (canaryHistory != null && canaryHistory.warm()) {
            compare(c, canaryHistory.asObservation(), x, CANARY);
        }
        if (baselineHistory != null && baselineHistory.warm()) {
            compare(b, baselineHistory.asObservation(), x, BASELINE);
        }
        return x;
    }

    /** One block: {@code current} against {@code reference}, written from {@code offset}. */
    static void compare(Observation current, Observation reference, double[] into, int offset) {
        for (int i = 0; i < RATES; i++) {
            into[offset + i] = cap(proportionZ(current.events[i], current.totals[i], reference.events[i], reference.totals[i]));
        }
        for (int i = 0; i < CONTINUOUS; i++) {
            double a = current.values[i];
            double b = reference.values[i];
            double wa = current.weights[i];
            double wb = reference.weights[i];
            if (Double.isNaN(a) || Double.isNaN(b) || wa <= 0 || wb <= 0) {
                continue;
            }
            double effective = wa * wb / (wa + wb);
            double difference = i == CONTINUOUS - 1 ? (b - a) / QUALITY_SCALE : a - b;
            into[offset + RATES + i] = cap(difference * Math.sqrt(effective));
        }
    }

    /**
     * Two-proportion z; the pooled rate gets half a count so that two zero counts do not divide by
     * zero, while the difference stays unbiased for small windows. 0 when either side saw nothing.
     */
    static double proportionZ(double x1, double n1, double x2, double n2) {
        if (n1 <= 0 || n2 <= 0) {
            return 0;
        }
        double p1 = x1 / n1;
        double p2 = x2 / n2;
        double pooled = (x1 + x2 + 0.5) / (n1 + n2 + 1);
        double variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
        return (p1 - p2) / Math.sqrt(variance);
    }

    private static double cap(double value) {
        return Math.max(-CAP, Math.min(CAP, value));
    }

    /** A window reduced to what the features compare: rate counts and weighted (log) values. */
    static final class Observation {
        final double[] events = new double[RATES];
        final double[] totals = new double[RATES];
        final double[] values = new double[CONTINUOUS];
        final double[] weights = new double[CONTINUOUS];
    }

    static Observation observe(CohortMetrics m) {
        Observation o = new Observation();
        double requests = m.requests();
        o.events[0] = m.errors();
        o.events[1] = m.timeouts();
        o.events[2] = m.filtered();
        o.totals[0] = requests;
        o.totals[1] = requests;
        o.totals[2] = requests;
        o.events[3] = m.feedbackDown();
        o.totals[3] = m.feedbackUp() + m.feedbackDown();
        setLog(o, 0, m.latencyP50(), requests);
        setLog(o, 1, m.latencyP90(), requests);
        setLog(o, 2, m.latencyP95(), requests);
        setLog(o, 3, m.ttftP95(), m.ttftSamples());
        setLog(o, 4, requests > 0 ? (double) m.outputTokens() / requests : null, requests);
        setLog(o, 5, m.costPerRequest(), requests);
        o.values[6] = m.qualityMean() == null ? Double.NaN : m.qualityMean();
        o.weights[6] = m.qualityMean() == null ? 0 : m.qualitySamples();
        return o;
    }

    private static void setLog(Observation o, int index, Double value, double weight) {
        if (value == null || !(value >= 0) || weight <= 0) {
            o.values[index] = Double.NaN;
            return;
        }
        o.values[index] = Math.log1p(value);
        o.weights[index] = weight;
    }
}
