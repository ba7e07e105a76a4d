package io.graylight.ml.anomaly;

import io.graylight.contracts.alert.AlertScope;
import io.graylight.contracts.alert.Severity;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import smile.anomaly.IsolationForest;

/**
 * Two Isolation Forests over the {@link AnomalyFeatures} vector: one on the canary-vs-baseline
 * block, one (shared by both cohorts) on a cohort-vs-its-history block. Scope follows the
 * principle "a baseline anomaly is not a canary regression": whenever the baseline departs from
 * its own history the verdict is {@code BOTH} or {@code BASELINE}, never {@code CANARY}.
 */
public final class AnomalyDetector implements Serializable {

    private static final long serialVersionUID = 1L;
    static final int TOP_FEATURES = 3;

    private final IsolationForest contrastForest;
    private final IsolationForest cohortForest;
    private final double contrastThreshold;
    private final double cohortThreshold;
    private final double contrastCritical;
    private final double cohortCritical;
    /** Mean and standard deviation of each feature on the normal training data, for attribution. */
    private final double[] mean;
    private final double[] sd;
    private final String[] names;
    /**
     * Whether the forests' inputs are standardized by the normal training data's mean and standard
     * deviation (models trained since v2). False in models serialized before the field existed,
     * which then score as they were trained.
     */
    private final boolean standardized;

    public AnomalyDetector(IsolationForest contrastForest, IsolationForest cohortForest, double contrastThreshold,
            double cohortThreshold, double contrastCritical, double cohortCritical, double[] mean, double[] sd, List<String> names,
            boolean standardized) {
        this.contrastForest = contrastForest;
        this.cohortForest = cohortForest;
        this.contrastThreshold = contrastThreshold;
        this.cohortThreshold = cohortThreshold;
        this.contrastCritical = contrastCritical;
        this.cohortCritical = cohortCritical;
        this.mean = mean.clone();
        this.sd = sd.clone();
        this.names = names.toArray(new String[0]);
        this.standardized = standardized;
    }

    public AnomalyVerdict score(double[] x) {
        if (x.length != AnomalyFeatures.SIZE) {
            throw new IllegalArgumentException("expected " + AnomalyFeatures.SIZE + " features, got " + x.length);
        }
        double[] z = standardized ? standardize(x, mean, sd) : x;
        double contrast = contrastForest.score(block(z, AnomalyFeatures.CONTRAST));
        double canary = cohortForest.score(block(z, AnomalyFeatures.CANARY));
        double baseline = cohortForest.score(block(z, AnomalyFeatures.BASELINE));
        boolean canarySelf = canary >= cohortThreshold;
        boolean canaryContrast = contrast >= contrastThreshold;
        boolean baselineSelf = baseline >= cohortThreshold;
        AlertScope scope;
        double score;
        boolean critical;
        int[] blocks;
        if (baselineSelf && (canarySelf || canaryContrast)) {
            scope = AlertScope.BOTH;
            score = Math.max(baseline, canary);
            critical = baseline >= cohortCritical || canary >= cohortCritical;
            blocks = new int[] {AnomalyFeatures.BASELINE, AnomalyFeatures.CANARY};
        } else if (baselineSelf) {
            scope = AlertScope.BASELINE;
            score = baseline;
            critical = baseline >= cohortCritical;
            blocks = new int[] {AnomalyFeatures.BASELINE};
        } else if (canarySelf || canaryContrast) {
            scope = AlertScope.CANARY;
            score = Math.max(contrast, canary);
            critical = contrast >= contrastCritical || canary >= cohortCritical;
            blocks = new int[] {AnomalyFeatures.CONTRAST, AnomalyFeatures.CANARY};
        } else {
            return new AnomalyVerdict(null, Math.max(contrast, Math.max(canary, baseline)), null, contrast, canary, baseline, Map.of());
        }
        return new AnomalyVerdict(scope, score, critical ? Severity.CRITICAL : Severity.WARNING, contrast, canary, baseline,
                top(x, blocks));
    }

    /**
     * Each feature in units of its spread on normal traffic. The features are meant to be unit
     * normal without a change, but quantile features are not (latency p95's log difference varies
     * 2.7 times as much as its sample-size scaling assumes; sparse rates such as thumbs-down vary
     * less), so a block's maximum and RMS were dominated by latency noise and a five-sigma shift of
     * the negative-feedback rate left them unremarkable. The trees themselves are unaffected:
     * axis-parallel splits drawn uniformly within each feature's range do not see a per-feature
     * affine map; only the two summaries do.
     */
    static double[] standardize(double[] x, double[] mean, double[] sd) {
        double[] z = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            z[i] = (x[i] - mean[i]) / sd[i];
        }
        return z;
    }

    /**
     * The forest's input for one block: its features plus their largest (worst) value and their
     * root mean square. Isolation trees split on one random feature at a time, so a regression in
     * a single metric out of eleven would be isolated only by the few splits that pick it; the two
     * summaries carry it into every eighth split or so.
     */
    static double[] block(double[] x, int offset) {
        int n = AnomalyFeatures.PER_BLOCK;
        double[] b = Arrays.copyOf(Arrays.copyOfRange(x, offset, offset + n), n + 2);
        double max = Double.NEGATIVE_INFINITY;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, b[i]);
            squares += b[i] * b[i];
        }
        b[n] = max;
        b[n + 1] = Math.sqrt(squares / n);
        return b;
    }

    private Map<String, Double> top(double[] x, int[] blocks) {
        Integer[] order = new Integer[x.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -Math.abs((x[i] - mean[i]) / sd[i])));
        Map<String, Double> top = new LinkedHashMap<>();
        for (int i : order) {
            if (inBlocks(i, blocks) && top.size() < TOP_FEATURES) {
                top.put(names[i], x[i]);
            }
        }
        return top;
    }

    private static boolean inBlocks(int index, int[] blocks) {
        for (int offset : blocks) {
            if (index >= offset && index < offset + AnomalyFeatures.PER_BLOCK) {
                return true;
            }
        }
        return false;
    }

    public double contrastThreshold() {
        return contrastThreshold;
    }

    public double cohortThreshold() {
        return cohortThreshold;
    }

    public int trees() {
        return contrastForest.size() + cohortForest.size();
    }
}
