package io.graylight.anomaly;

import io.graylight.contracts.alert.AlertScope;
import io.graylight.ml.anomaly.AnomalyDetector;
import io.graylight.ml.anomaly.AnomalyScoring;
import io.graylight.ml.anomaly.AnomalyVerdict;
import io.graylight.ml.anomaly.CohortHistory;
import io.graylight.simulator.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Held-out evaluation of an anomaly detector on simulated runs it never saw (other seeds): normal
 * runs, and one run per fault kind of {@link AnomalyTrainingData#EVALUATION_FAULTS}, canary-only
 * and as a both-cohort incident, each fault from {@code onset}.
 *
 * <p>Window level: a window is positive when a fault is active in it; precision is the share of
 * flagged windows that are positive, recall the share of positive windows flagged. Run level: a
 * faulty run is detected when a window within {@link #DETECTION_WINDOWS} windows of the onset is
 * flagged (canary faults as canary or both, incidents as both). Incidents flagged as canary-only
 * are counted apart: they would wrongly blame the canary.
 */
public final class AnomalyEvaluation {

    public static final int DETECTION_WINDOWS = 6;

    /** Figures of one evaluation; also written to the model metadata. */
    public record Result(long windows, long positives, long flagged, long truePositives, long falseAlarms,
            int faultyRuns, int detectedRuns, long incidentWindowsFlagged, long incidentWindowsBlamedOnCanary,
            Map<String, Double> recallByFault, List<Double> normalScores, List<Double> faultyScores) {

        public double precision() {
            return flagged == 0 ? 1.0 : (double) truePositives / flagged;
        }

        public double windowRecall() {
            return positives == 0 ? 0 : (double) truePositives / positives;
        }

        public double runRecall() {
            return faultyRuns == 0 ? 0 : (double) detectedRuns / faultyRuns;
        }

        /** False alarms per normal window. */
        public double falseAlarmRate() {
            long negatives = windows - positives;
            return negatives == 0 ? 0 : (double) falseAlarms / negatives;
        }

        public double incidentScopeAccuracy() {
            return incidentWindowsFlagged == 0 ? 1.0 : 1.0 - (double) incidentWindowsBlamedOnCanary / incidentWindowsFlagged;
        }

        public Map<String, Double> asMetrics() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("precision", precision());
            m.put("window_recall", windowRecall());
            m.put("run_recall", runRecall());
            m.put("false_alarms_per_normal_window", falseAlarmRate());
            m.put("incident_scope_accuracy", incidentScopeAccuracy());
            m.put("evaluation_windows", (double) windows);
            recallByFault.forEach((fault, recall) -> m.put("window_recall." + fault, recall));
            return m;
        }
    }

    private AnomalyEvaluation() {}

    /** Runs the evaluation: {@code normalRuns} normal runs and every fault kind twice (canary, both). */
    public static Result evaluate(AnomalyDetector detector, long seed, int normalRuns, Duration duration, Duration onset,
            IntConsumer progress) {
        long windows = 0;
        long positives = 0;
        long flagged = 0;
        long truePositives = 0;
        long falseAlarms = 0;
        int faultyRuns = 0;
        int detectedRuns = 0;
        long incidentFlagged = 0;
        long incidentBlamed = 0;
        Map<String, Double> recallByFault = new LinkedHashMap<>();
        List<Double> normalScores = new ArrayList<>();
        List<Double> faultyScores = new ArrayList<>();
        List<Fault> runs = new ArrayList<>();
        for (int i = 0; i < normalRuns; i++) {
            runs.add(null);
        }
        for (String spec : AnomalyTrainingData.EVALUATION_FAULTS) {
            runs.add(Fault.parse(spec + "@" + onset.toSeconds() + "s"));
            runs.add(Fault.parse(spec + "@" + onset.toSeconds() + "s:both"));
        }
        for (int r = 0; r < runs.size(); r++) {
            Fault fault = runs.get(r);
            long runSeed = seed + 7_919L * r;
            List<WindowPair> pairs = AnomalyTrainingData.windows(
                    AnomalyTrainingData.config(runSeed, AnomalyTrainingData.canaryPercent(r), duration, fault), AnomalyTrainingData.WINDOW);
            CohortHistory canaryHistory = new CohortHistory();
            CohortHistory baselineHistory = new CohortHistory();
            int runPositives = 0;
            int runHits = 0;
            boolean detected = false;
            int sinceOnset = -1;
            for (WindowPair pair : pairs) {
                AnomalyVerdict verdict = AnomalyScoring.step(detector, pair.canary(), pair.baseline(), canaryHistory, baselineHistory).verdict();
                windows++;
                (pair.faulty() ? faultyScores : normalScores).add(verdict.score());
                boolean hit = pair.incident() ? verdict.anomalous() : verdict.canaryAnomalous();
                if (verdict.anomalous()) {
                    flagged++;
                }
                if (pair.faulty()) {
                    positives++;
                    runPositives++;
                    sinceOnset++;
                    if (hit) {
                        truePositives++;
                        runHits++;
                        if (sinceOnset < DETECTION_WINDOWS) {
                            detected = true;
                        }
                    } else if (verdict.anomalous()) {
                        flagged--; // flagged, but blaming the wrong cohort: neither a hit nor a normal-window alarm
                    }
                    if (pair.incident() && verdict.anomalous()) {
                        incidentFlagged++;
                        if (verdict.scope() == AlertScope.CANARY) {
                            incidentBlamed++;
                        }
                    }
                } else if (verdict.anomalous()) {
                    falseAlarms++;
                }
            }
            if (fault != null) {
                faultyRuns++;
                if (detected) {
                    detectedRuns++;
                }
                recallByFault.put(fault.kind().wireName() + (fault.target() == Fault.Target.BOTH ? ":both" : ""),
                        runPositives == 0 ? 0.0 : (double) runHits / runPositives);
            }
            if (progress != null) {
                progress.accept(1);
            }
        }
        return new Result(windows, positives, flagged, truePositives, falseAlarms, faultyRuns, detectedRuns, incidentFlagged,
                incidentBlamed, recallByFault, normalScores, faultyScores);
    }

    public static int runs(int normalRuns) {
        return normalRuns + 2 * AnomalyTrainingData.EVALUATION_FAULTS.size();
    }
}
