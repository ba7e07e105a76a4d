package io.graylight.anomaly;

import io.graylight.ml.Vectors;
import io.graylight.ml.anomaly.AnomalyDetector;
import io.graylight.ml.anomaly.AnomalyFeatures;
import io.graylight.ml.anomaly.AnomalyScoring;
import io.graylight.ml.anomaly.AnomalyTrainer;
import io.graylight.ml.anomaly.CohortHistory;
import io.graylight.ml.store.ModelMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Training data and the trained anomaly model with its metadata. Training runs use seeds
 * {@code seed*1000 + r}; the held-out evaluation uses seeds far from them ({@code seed*1000 + 500_000}).
 *
 * @param runs normal simulated runs to train on
 * @param duration event time of each run
 */
public record AnomalyModelTraining(int runs, Duration duration, AnomalyTrainer trainer) {

    public static final String MODEL = "anomaly";

    public static AnomalyModelTraining defaults() {
        return new AnomalyModelTraining(24, Duration.ofMinutes(30), AnomalyTrainer.defaults());
    }

    public List<double[]> normalVectors(long seed, IntConsumer progress) {
        List<double[]> rows = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            long runSeed = seed * 1000 + r;
            List<WindowPair> pairs = AnomalyTrainingData.windows(
                    AnomalyTrainingData.config(runSeed, AnomalyTrainingData.canaryPercent(r), duration, null), AnomalyTrainingData.WINDOW);
            CohortHistory canary = new CohortHistory();
            CohortHistory baseline = new CohortHistory();
            for (WindowPair pair : pairs) {
                rows.add(AnomalyScoring.step(null, pair.canary(), pair.baseline(), canary, baseline).vector());
            }
            if (progress != null) {
                progress.accept(1);
            }
        }
        return rows;
    }

    public long evaluationSeed(long seed) {
        return seed * 1000 + 500_000;
    }

    public ModelMetadata metadata(String version, long seed, List<double[]> rows, AnomalyDetector detector,
            AnomalyEvaluation.Result evaluation) {
        String data = runs + " normal simulated runs of " + duration.toMinutes() + " min (Azure LLM trace 2023, rate factor "
                + AnomalyTrainingData.RATE_FACTOR + ", canary 5/10/25/50 %), " + AnomalyTrainingData.WINDOW.toSeconds()
                + " s windows; " + trainer.trees() + " trees per forest, " + trainer.sampleSize() + " rows per tree, threshold at the "
                + trainer.thresholdQuantile() + " quantile of normal scores";
        return new ModelMetadata(MODEL, version, "isolation-forest (contrast + cohort-history)", AnomalyDetector.class.getName(),
                io.graylight.ml.store.ModelStore.MODEL_FILE, AnomalyFeatures.NAMES, detector.contrastThreshold(), seed, data,
                Vectors.sha256(rows), rows.size(), evaluation == null ? java.util.Map.of() : evaluation.asMetrics(),
                ModelMetadata.SMILE_VERSION, "graylight models train anomaly --seed " + seed);
    }
}
