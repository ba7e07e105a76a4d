package io.graylight.ml.anomaly;

import io.graylight.contracts.alert.AlertScope;
import io.graylight.contracts.metrics.CohortMetrics;

/**
 * One step of a release's window stream, shared by training, evaluation and the Flink operator so
 * that they cannot disagree: build the vector against each cohort's history, score it, then fold
 * each cohort's window into its history unless that cohort was anomalous (an incident must not
 * become the "normal" it is compared with while it lasts).
 */
public final class AnomalyScoring {

    private AnomalyScoring() {}

    /** Smoothing of the per-window statistics: a shift that persists for a few windows adds up. */
    public static final double SMOOTHING = 0.7;
    /** Standard deviation of an EWMA of unit-variance independent values, to keep the unit scale. */
    private static final double SMOOTHED_SD = Math.sqrt((1 - SMOOTHING) / (1 + SMOOTHING));

    /**
     * Replaces the block of raw per-window statistics with their exponentially weighted average,
     * rescaled to unit variance under no change: one noisy window weighs little, a regression that
     * persists for a few windows shows up to 2.4 times stronger than in any single window.
     */
    static void smooth(double[] x, int offset, double[] state) {
        for (int i = 0; i < AnomalyFeatures.PER_BLOCK; i++) {
            state[i] = SMOOTHING * state[i] + (1 - SMOOTHING) * x[offset + i];
            x[offset + i] = Math.max(-AnomalyFeatures.CAP, Math.min(AnomalyFeatures.CAP, state[i] / SMOOTHED_SD));
        }
    }

    /**
     * While an incident (both cohorts anomalous) was seen within the last {@link #INCIDENT_LATCH_WINDOWS} windows, a
     * canary-only verdict is reported as part of the incident ({@code BOTH}): in the middle of an
     * incident a window where the baseline happens to look normal does not make the canary guilty.
     */
    public static final int INCIDENT_LATCH_WINDOWS = 12;

    static AnomalyVerdict latchIncident(AnomalyVerdict verdict, CohortHistory baselineHistory) {
        if (verdict.scope() == AlertScope.BOTH) {
            baselineHistory.incidentWindowsLeft = INCIDENT_LATCH_WINDOWS;
            return verdict;
        }
        boolean latched = baselineHistory.incidentWindowsLeft > 0;
        if (latched) {
            baselineHistory.incidentWindowsLeft--;
        }
        if (latched && verdict.scope() == AlertScope.CANARY) {
            return new AnomalyVerdict(AlertScope.BOTH, verdict.score(), verdict.severity(), verdict.contrastScore(),
                    verdict.canaryScore(), verdict.baselineScore(), verdict.topFeatures());
        }
        return verdict;
    }

    /**
     * A canary-only verdict is reported from its {@value #CANARY_CONFIRM_WINDOWS}nd window in a row:
     * at the start of an incident the canary's window may cross its threshold one window before the
     * baseline's does, and a single noisy canary window should not ask for a rollback. Incidents and
     * baseline anomalies are reported at once (they only ever hold).
     */
    public static final int CANARY_CONFIRM_WINDOWS = 2;

    static AnomalyVerdict confirmCanary(AnomalyVerdict verdict, CohortHistory canaryHistory) {
        if (verdict.scope() != AlertScope.CANARY) {
            canaryHistory.canaryStreak = 0;
            return verdict;
        }
        canaryHistory.canaryStreak++;
        if (canaryHistory.canaryStreak >= CANARY_CONFIRM_WINDOWS) {
            return verdict;
        }
        return new AnomalyVerdict(null, verdict.score(), null, verdict.contrastScore(), verdict.canaryScore(),
                verdict.baselineScore(), java.util.Map.of());
    }

    public record Step(double[] vector, AnomalyVerdict verdict) {}

    /** @param detector null while training: nothing is anomalous and histories always learn */
    public static Step step(AnomalyDetector detector, CohortMetrics canary, CohortMetrics baseline,
            CohortHistory canaryHistory, CohortHistory baselineHistory) {
        double[] x = AnomalyFeatures.vector(canary, baseline, canaryHistory, baselineHistory);
        smooth(x, AnomalyFeatures.CONTRAST, canaryHistory.smoothedContrast);
        smooth(x, AnomalyFeatures.CANARY, canaryHistory.smoothedSelf);
        smooth(x, AnomalyFeatures.BASELINE, baselineHistory.smoothedSelf);
        AnomalyVerdict verdict = detector == null ? null : detector.score(x);
        if (verdict != null) {
            verdict = latchIncident(verdict, baselineHistory);
        }
        if (verdict == null || !verdict.canaryAnomalous()) {
            canaryHistory.update(canary);
        }
        if (verdict == null || !verdict.baselineAnomalous()) {
            baselineHistory.update(baseline);
        }
        return new Step(x, verdict == null ? null : confirmCanary(verdict, canaryHistory));
    }
}
