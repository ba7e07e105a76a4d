package io.graylight.stats;

import java.util.Arrays;

/**
 * Splits the plan's {@code alpha} (the tolerated probability of any false rollback over the whole
 * rollout) over every guard of every judged stage, so the union bound keeps the total honest:
 * {@code sum over stages s and guards g of alpha(s, g) = alpha}.
 *
 * <p>Within a stage each guard's comparison is a time-uniform test, so looking after every event
 * costs nothing extra; a new stage resets the comparisons and spends a fresh share. Only stages
 * with a baseline to compare against (canary below 100 %) are judged. The same share bounds a
 * false promotion: a guard truly worse than its margin is called SAFE with probability at most
 * its share.
 *
 * <p>By default the split is even (Bonferroni). Stage weights can move budget towards the stages
 * that decide most (later, bigger ones have more data and gain more from a larger alpha); they are
 * normalised, so the total stays {@code alpha}.
 */
public final class AlphaBudget {

    private final double rolloutAlpha;
    private final int guards;
    private final double[] stageShares;

    private AlphaBudget(double rolloutAlpha, int guards, double[] stageWeights) {
        ConfidenceSequence.checkAlpha(rolloutAlpha);
        if (guards < 1 || stageWeights.length < 1) {
            throw new IllegalArgumentException("need at least one guard and one judged stage");
        }
        double total = 0;
        for (double weight : stageWeights) {
            if (!(weight > 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("stage weights must be positive: " + Arrays.toString(stageWeights));
            }
            total += weight;
        }
        this.rolloutAlpha = rolloutAlpha;
        this.guards = guards;
        this.stageShares = new double[stageWeights.length];
        for (int s = 0; s < stageWeights.length; s++) {
            stageShares[s] = rolloutAlpha * stageWeights[s] / total;
        }
    }

    /** Even split: {@code alpha / (guards x judgedStages)}. */
    public static AlphaBudget bonferroni(double rolloutAlpha, int guards, int judgedStages) {
        double[] weights = new double[judgedStages];
        Arrays.fill(weights, 1);
        return new AlphaBudget(rolloutAlpha, guards, weights);
    }

    /**
     * Even split over the plan's stages that are judged, i.e. those below 100 %; stage indexes of
     * {@link #perComparison} then count only those.
     */
    public static AlphaBudget forPlan(double rolloutAlpha, int guards, double... stagePercents) {
        int judged = (int) Arrays.stream(stagePercents).filter(p -> p < 100).count();
        return bonferroni(rolloutAlpha, guards, judged);
    }

    /** Stage {@code s} gets {@code alpha * w[s] / sum(w)}, shared evenly by its guards. */
    public static AlphaBudget weighted(double rolloutAlpha, int guards, double... stageWeights) {
        return new AlphaBudget(rolloutAlpha, guards, stageWeights.clone());
    }

    /** The level for guard {@code guard} at judged stage {@code stage} (both 0-based). */
    public double perComparison(int stage, int guard) {
        if (guard < 0 || guard >= guards) {
            throw new IndexOutOfBoundsException("guard " + guard + " of " + guards);
        }
        if (stage < 0 || stage >= stageShares.length) {
            throw new IndexOutOfBoundsException("judged stage " + stage + " of " + stageShares.length);
        }
        return stageShares[stage] / guards;
    }

    public double rolloutAlpha() {
        return rolloutAlpha;
    }

    public int guards() {
        return guards;
    }

    public int judgedStages() {
        return stageShares.length;
    }
}
