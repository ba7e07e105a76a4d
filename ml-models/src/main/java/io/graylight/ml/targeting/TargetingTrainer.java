package io.graylight.ml.targeting;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import java.util.stream.LongStream;
import smile.base.cart.SplitRule;
import smile.classification.GradientTreeBoost;
import smile.classification.LogisticRegression;
import smile.classification.RandomForest;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.data.type.StructType;
import smile.data.vector.IntVector;
import smile.math.MathEx;
import smile.validation.metric.AUC;

/**
 * Compares logistic regression, random forest and gradient boosting by k-fold cross-validated
 * AUC on the training users and keeps the best, refitted on all of them. Every random choice
 * (folds, bootstrap samples, split candidates) comes from the seed.
 *
 * @param folds cross-validation folds
 * @param trees trees of the forest and of the boosting
 */
public record TargetingTrainer(int folds, int trees) {

    static final String LABEL = "good";
    public static final List<String> ALGORITHMS = List.of("logistic-regression", "random-forest", "gradient-boosting");

    public static TargetingTrainer defaults() {
        return new TargetingTrainer(5, 100);
    }

    /** The kept model and the cross-validated AUC of each candidate. */
    public record Result(TargetingModel model, Map<String, Double> crossValidatedAuc) {}

    /** Units of progress {@link #train} reports: one per candidate fit. */
    public int steps() {
        return ALGORITHMS.size() * (folds + 1);
    }

    public Result train(double[][] x, int[] y, long seed, IntConsumer progress) {
        int[] fold = new int[x.length];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < fold.length; i++) {
            fold[i] = random.nextInt(folds);
        }
        Map<String, Double> auc = new LinkedHashMap<>();
        String best = null;
        for (String algorithm : ALGORITHMS) {
            double sum = 0;
            for (int k = 0; k < folds; k++) {
                List<Integer> trainRows = new ArrayList<>();
                List<Integer> testRows = new ArrayList<>();
                for (int i = 0; i < x.length; i++) {
                    (fold[i] == k ? testRows : trainRows).add(i);
                }
                TargetingModel model = fit(algorithm, rows(x, trainRows), rows(y, trainRows), seed + k);
                int[] truth = rows(y, testRows);
                double[] scores = new double[truth.length];
                for (int i = 0; i < truth.length; i++) {
                    scores[i] = model.score(x[testRows.get(i)]);
                }
                sum += AUC.of(truth, scores);
                tick(progress);
            }
            auc.put(algorithm, sum / folds);
            if (best == null || auc.get(algorithm) > auc.get(best)) {
                best = algorithm;
            }
        }
        TargetingModel kept = fit(best, x, y, seed);
        for (int i = 0; i < ALGORITHMS.size(); i++) {
            tick(progress);
        }
        return new Result(kept, auc);
    }

    public TargetingModel fit(String algorithm, double[][] x, int[] y, long seed) {
        MathEx.setSeed(seed);
        switch (algorithm) {
            case "logistic-regression" -> {
                int p = x[0].length;
                double[] mean = new double[p];
                double[] sd = new double[p];
                for (double[] row : x) {
                    for (int j = 0; j < p; j++) {
                        mean[j] += row[j] / x.length;
                    }
                }
                for (double[] row : x) {
                    for (int j = 0; j < p; j++) {
                        sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / x.length;
                    }
                }
                for (int j = 0; j < p; j++) {
                    sd[j] = Math.sqrt(sd[j]) + 1e-9;
                }
                double[][] z = new double[x.length][];
                for (int i = 0; i < x.length; i++) {
                    z[i] = TargetingModel.standardise(x[i], mean, sd);
                }
                // A little L2 keeps the one-hot columns (which sum to one) identifiable.
                return TargetingModel.logistic(LogisticRegression.binomial(z, y, 0.1, 1e-5, 500), mean, sd);
            }
            case "random-forest" -> {
                DataFrame data = frame(x, y);
                Formula formula = Formula.lhs(LABEL);
                int mtry = Math.max(1, (int) Math.floor(Math.sqrt(x[0].length)));
                // Smile ignores tree seeds of 1 or less, so draw them above it.
                long[] seeds = new SplittableRandom(seed).longs(trees, 2, Long.MAX_VALUE).toArray();
                RandomForest forest = RandomForest.fit(formula, data, trees, mtry, SplitRule.GINI, 12, 200, 5, 1.0, null,
                        LongStream.of(seeds));
                return TargetingModel.trees(algorithm, forest, schema(x));
            }
            case "gradient-boosting" -> {
                DataFrame data = frame(x, y);
                GradientTreeBoost boost = GradientTreeBoost.fit(Formula.lhs(LABEL), data, trees, 4, 8, 5, 0.05, 0.7);
                return TargetingModel.trees(algorithm, boost, schema(x));
            }
            default -> throw new IllegalArgumentException("unknown algorithm " + algorithm + "; expected one of " + ALGORITHMS);
        }
    }

    private static DataFrame frame(double[][] x, int[] y) {
        return DataFrame.of(x, UserFeatures.NAMES.toArray(new String[0])).merge(IntVector.of(LABEL, y));
    }

    private static StructType schema(double[][] x) {
        return DataFrame.of(new double[][] {x[0]}, UserFeatures.NAMES.toArray(new String[0])).schema();
    }

    private static double[][] rows(double[][] x, List<Integer> index) {
        double[][] out = new double[index.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = x[index.get(i)];
        }
        return out;
    }

    private static int[] rows(int[] y, List<Integer> index) {
        int[] out = new int[index.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = y[index.get(i)];
        }
        return out;
    }

    private static void tick(IntConsumer progress) {
        if (progress != null) {
            progress.accept(1);
        }
    }
}
