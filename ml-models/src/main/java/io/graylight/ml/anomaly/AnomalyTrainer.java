package io.graylight.ml.anomaly;

import io.graylight.ml.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import smile.anomaly.IsolationForest;
import smile.anomaly.IsolationTree;
import smile.math.MathEx;
import smile.stat.distribution.GaussianDistribution;

/**
 * Trains the {@link AnomalyDetector} on feature vectors of normal traffic only.
 *
 * <p>Trees are grown one after another on the calling thread, with Smile's thread-local random
 * generator seeded first and sub-samples drawn from a seeded generator of our own: Smile's own
 * {@code IsolationForest.fit} grows trees in a parallel stream, whose thread assignment (and so
 * whose random numbers) differ from run to run. The same vectors and seed give the same model.
 *
 * @param trees trees per forest
 * @param sampleSize rows per tree (the classic 256)
 * @param thresholdQuantile the quantile of the normal training scores above which a window is anomalous
 * @param criticalQuantile the quantile above which it is critical
 */
public record AnomalyTrainer(int trees, int sampleSize, double thresholdQuantile, double criticalQuantile) {

    public static AnomalyTrainer defaults() {
        return new AnomalyTrainer(100, 256, 0.995, 0.9999);
    }

    public AnomalyDetector train(List<double[]> normal, long seed, IntConsumer progress) {
        if (normal.size() < 16) {
            throw new IllegalArgumentException("need at least 16 normal vectors to train, got " + normal.size());
        }
        int width = AnomalyFeatures.SIZE;
        double[] mean = new double[width];
        double[] sd = new double[width];
        for (double[] x : normal) {
            for (int j = 0; j < width; j++) {
                mean[j] += x[j] / normal.size();
            }
        }
        for (double[] x : normal) {
            for (int j = 0; j < width; j++) {
                sd[j] += (x[j] - mean[j]) * (x[j] - mean[j]) / normal.size();
            }
        }
        for (int j = 0; j < width; j++) {
            sd[j] = Math.sqrt(sd[j]) + 1e-6;
        }
        double[][] contrast = new double[normal.size()][];
        List<double[]> cohort = new ArrayList<>(2 * normal.size());
        for (int i = 0; i < normal.size(); i++) {
            double[] x = AnomalyDetector.standardize(normal.get(i), mean, sd);
            contrast[i] = AnomalyDetector.block(x, AnomalyFeatures.CONTRAST);
            cohort.add(AnomalyDetector.block(x, AnomalyFeatures.CANARY));
            cohort.add(AnomalyDetector.block(x, AnomalyFeatures.BASELINE));
        }
        double[][] cohortRows = cohort.toArray(new double[0][]);
        IsolationForest contrastForest = forest(contrast, seed, progress);
        IsolationForest cohortForest = forest(cohortRows, seed + 1, progress);
        double[] contrastScores = contrastForest.score(contrast);
        double[] cohortScores = cohortForest.score(cohortRows);

        return new AnomalyDetector(contrastForest, cohortForest,
                Vectors.quantile(contrastScores, thresholdQuantile), Vectors.quantile(cohortScores, thresholdQuantile),
                Vectors.quantile(contrastScores, criticalQuantile), Vectors.quantile(cohortScores, criticalQuantile),
                mean, sd, AnomalyFeatures.NAMES, true);
    }

    /**
     * Smile's trees draw their split hyperplanes from the shared {@code GaussianDistribution}
     * singleton, which caches the second value of each Box-Muller pair: left over from an earlier
     * fit, it would make the next fit depend on what ran before. Clear it before every tree.
     */
    static void resetSharedGaussian() {
        try {
            java.lang.reflect.Field spare = GaussianDistribution.class.getDeclaredField("z1");
            spare.setAccessible(true);
            spare.setDouble(GaussianDistribution.getInstance(), Double.NaN);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot make Isolation Forest training reproducible with this Smile version", e);
        }
    }

    private IsolationForest forest(double[][] rows, long seed, IntConsumer progress) {
        int n = Math.min(sampleSize, rows.length);
        int maxDepth = (int) Math.ceil(Math.log(n) / Math.log(2));
        SplittableRandom sampling = new SplittableRandom(seed);
        MathEx.setSeed(seed);
        IsolationTree[] grown = new IsolationTree[trees];
        for (int t = 0; t < trees; t++) {
            // Sub-sample without replacement, as Smile does: a partial Fisher-Yates shuffle.
            int[] index = new int[rows.length];
            for (int k = 0; k < index.length; k++) {
                index[k] = k;
            }
            List<double[]> sample = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                int j = k + sampling.nextInt(rows.length - k);
                int swap = index[k];
                index[k] = index[j];
                index[j] = swap;
                sample.add(rows[index[k]]);
            }
            resetSharedGaussian();
            grown[t] = new IsolationTree(sample, maxDepth, 0);
            if (progress != null) {
                progress.accept(1);
            }
        }
        // The constructor takes the sub-sample size (for the path-length normaliser) and the extension level.
        return new IsolationForest(n, 0, grown);
    }
}
