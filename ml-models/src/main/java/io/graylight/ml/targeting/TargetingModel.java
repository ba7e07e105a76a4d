package io.graylight.ml.targeting;

import java.io.Serializable;
import java.util.List;
import smile.classification.DataFrameClassifier;
import smile.classification.LogisticRegression;
import smile.data.Tuple;
import smile.data.type.StructType;

/**
 * The kept targeting classifier behind one method: the probability that a user with these
 * {@link UserFeatures} has a good canary experience. Logistic regression scores standardised
 * vectors; the tree ensembles score Smile tuples of the training schema.
 */
public final class TargetingModel implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String algorithm;
    private final LogisticRegression.Binomial logistic;
    private final double[] mean;
    private final double[] sd;
    private final DataFrameClassifier trees;
    private final StructType schema;
    private final String[] features;

    private TargetingModel(String algorithm, LogisticRegression.Binomial logistic, double[] mean, double[] sd,
            DataFrameClassifier trees, StructType schema) {
        this.algorithm = algorithm;
        this.logistic = logistic;
        this.mean = mean;
        this.sd = sd;
        this.trees = trees;
        this.schema = schema;
        this.features = UserFeatures.NAMES.toArray(new String[0]);
    }

    static TargetingModel logistic(LogisticRegression.Binomial model, double[] mean, double[] sd) {
        return new TargetingModel("logistic-regression", model, mean.clone(), sd.clone(), null, null);
    }

    static TargetingModel trees(String algorithm, DataFrameClassifier model, StructType schema) {
        return new TargetingModel(algorithm, null, null, null, model, schema);
    }

    public String algorithm() {
        return algorithm;
    }

    public List<String> features() {
        return List.of(features);
    }

    /** P(good canary experience) for a {@link UserFeatures#vector()}. */
    public double score(double[] x) {
        if (x.length != features.length) {
            throw new IllegalArgumentException("expected " + features.length + " features, got " + x.length);
        }
        double[] posterior = new double[2];
        if (logistic != null) {
            logistic.predict(standardise(x, mean, sd), posterior);
        } else {
            trees.predict(Tuple.of(x, schema), posterior);
        }
        return Math.max(0, Math.min(1, posterior[1]));
    }

    static double[] standardise(double[] x, double[] mean, double[] sd) {
        double[] z = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            z[i] = (x[i] - mean[i]) / sd[i];
        }
        return z;
    }
}
