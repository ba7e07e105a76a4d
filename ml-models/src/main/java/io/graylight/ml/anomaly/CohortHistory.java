package io.graylight.ml.anomaly;

import io.graylight.contracts.metrics.CohortMetrics;

/**
 * A cohort's recent normal behaviour: exponentially weighted sums over its past windows (counts
 * for the rates, n-weighted logs for the latency and size metrics), so a window can be compared
 * with the cohort's own history without keeping raw windows. A plain mutable POJO so that Flink
 * keeps it as keyed state with its POJO serializer.
 */
public class CohortHistory {

    /**
     * Weight of the past per window: about fifty windows of memory (some eight minutes of 10 s
     * windows), so a step change stays visible for minutes, not seconds.
     */
    public static final double DECAY = 0.98;
    /** Below this many windows of history the self-comparison features stay 0 (no evidence). */
    public static final int WARM_UP_WINDOWS = 3;

    public int windows;
    public double requests;
    /** EWMA counts per {@link AnomalyFeatures#RATES} metric: events and their denominators. */
    public double[] rateEvents = new double[AnomalyFeatures.RATES];
    public double[] rateTotals = new double[AnomalyFeatures.RATES];
    /** EWMA of value × weight and of the weight per continuous metric. */
    public double[] valueSums = new double[AnomalyFeatures.CONTINUOUS];
    public double[] valueWeights = new double[AnomalyFeatures.CONTINUOUS];

    /**
     * Exponentially smoothed feature blocks of this cohort (its self block and, kept on the
     * canary's history, the contrast block), updated every window, anomalous or not.
     */
    public double[] smoothedSelf = new double[AnomalyFeatures.PER_BLOCK];
    public double[] smoothedContrast = new double[AnomalyFeatures.PER_BLOCK];

    /**
     * Windows left in which a canary-only verdict is still treated as part of an incident: set on
     * the baseline's history when the baseline was anomalous, counted down every window.
     */
    public int incidentWindowsLeft;
    /** Consecutive canary-only verdicts so far (kept on the canary's history). */
    public int canaryStreak;

    public CohortHistory() {}

    public boolean warm() {
        return windows >= WARM_UP_WINDOWS;
    }

    public void update(CohortMetrics m) {
        AnomalyFeatures.Observation o = AnomalyFeatures.observe(m);
        requests = requests * DECAY + m.requests();
        for (int i = 0; i < AnomalyFeatures.RATES; i++) {
            rateEvents[i] = rateEvents[i] * DECAY + o.events[i];
            rateTotals[i] = rateTotals[i] * DECAY + o.totals[i];
        }
        for (int i = 0; i < AnomalyFeatures.CONTINUOUS; i++) {
            valueSums[i] *= DECAY;
            valueWeights[i] *= DECAY;
            if (!Double.isNaN(o.values[i]) && o.weights[i] > 0) {
                valueSums[i] += o.values[i] * o.weights[i];
                valueWeights[i] += o.weights[i];
            }
        }
        windows++;
    }

    AnomalyFeatures.Observation asObservation() {
        AnomalyFeatures.Observation o = new AnomalyFeatures.Observation();
        for (int i = 0; i < AnomalyFeatures.RATES; i++) {
            o.events[i] = rateEvents[i];
            o.totals[i] = rateTotals[i];
        }
        for (int i = 0; i < AnomalyFeatures.CONTINUOUS; i++) {
            o.weights[i] = valueWeights[i];
            o.values[i] = valueWeights[i] > 0 ? valueSums[i] / valueWeights[i] : Double.NaN;
        }
        return o;
    }
}
