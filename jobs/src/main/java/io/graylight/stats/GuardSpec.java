package io.graylight.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One guard of a rollout plan: what is compared, which way is worse, how much worsening is
 * tolerated, and the tuning of its confidence sequences.
 *
 * @param metric the plan's metric name, reported in the evidence
 * @param kind the statistical shape, which picks the confidence sequence
 * @param quantile the quantile level for {@link MetricKind#QUANTILE}, else NaN
 * @param direction which way is worse
 * @param margin the tolerated worsening
 * @param designSamples per-cohort sample size at which the mixture bounds are tightest; they stay
 *     valid at every size and lose only a log factor away from it
 * @param designAlpha the level the bounds are tuned for; any level may be asked later
 * @param minSamples for {@link MetricKind#UNBOUNDED_MEAN} only: no bound below this many samples,
 *     because its guarantee is asymptotic
 */
public record GuardSpec(
        String metric,
        MetricKind kind,
        double quantile,
        Direction direction,
        Margin margin,
        double designSamples,
        double designAlpha,
        long minSamples) {

    public static final double DEFAULT_DESIGN_SAMPLES = 1000;
    public static final double DEFAULT_DESIGN_ALPHA = 0.001;
    public static final long DEFAULT_MIN_SAMPLES = 100;
    /** Floor on the unbounded mean's standard deviation, as a fraction of its mean. */
    static final double RELATIVE_SD_FLOOR = 0.01;

    private static final Pattern QUANTILE_METRIC = Pattern.compile("([a-z_]+)_p(\\d{2,4})");

    public GuardSpec {
        if (metric == null || metric.isBlank() || kind == null || direction == null || margin == null) {
            throw new IllegalArgumentException("metric, kind, direction and margin are required");
        }
        if (kind == MetricKind.QUANTILE ? !(quantile > 0 && quantile < 1) : !Double.isNaN(quantile)) {
            throw new IllegalArgumentException(metric + ": a quantile level in (0, 1) goes with QUANTILE only");
        }
        ConfidenceSequence.checkAlpha(designAlpha);
        if (!(designSamples >= 1) || minSamples < 2) {
            throw new IllegalArgumentException(metric + ": need designSamples >= 1 and minSamples >= 2");
        }
    }

    public static GuardSpec proportion(String metric, Margin margin) {
        return of(metric, MetricKind.PROPORTION, Double.NaN, Direction.HIGHER_IS_WORSE, margin);
    }

    public static GuardSpec boundedMean(String metric, Direction direction, Margin margin) {
        return of(metric, MetricKind.BOUNDED_MEAN, Double.NaN, direction, margin);
    }

    public static GuardSpec unboundedMean(String metric, Direction direction, Margin margin) {
        return of(metric, MetricKind.UNBOUNDED_MEAN, Double.NaN, direction, margin);
    }

    public static GuardSpec quantile(String metric, double q, Margin margin) {
        return of(metric, MetricKind.QUANTILE, q, Direction.HIGHER_IS_WORSE, margin);
    }

    private static GuardSpec of(String metric, MetricKind kind, double q, Direction direction, Margin margin) {
        return new GuardSpec(metric, kind, q, direction, margin, DEFAULT_DESIGN_SAMPLES, DEFAULT_DESIGN_ALPHA,
                DEFAULT_MIN_SAMPLES);
    }

    /**
     * The guard a plan line names ({@code {metric: latency_p95, relativeMargin: 0.10}}): {@code *_rate}
     * is a proportion, {@code <field>_pNN} a quantile ({@code p999} = 0.999), {@code quality_score}
     * a bounded mean where lower is worse, {@code cost_per_request} an unbounded mean. Exactly one
     * of the margins must be given.
     *
     * @throws IllegalArgumentException for an unknown metric or a missing/duplicate margin
     */
    public static GuardSpec forPlanMetric(String metric, Double margin, Double relativeMargin) {
        if ((margin == null) == (relativeMargin == null)) {
            throw new IllegalArgumentException(metric + ": give exactly one of margin and relativeMargin");
        }
        Margin m = margin != null ? Margin.absolute(margin) : Margin.relative(relativeMargin);
        String name = metric == null ? "" : metric.toLowerCase(Locale.ROOT);
        Matcher quantileName = QUANTILE_METRIC.matcher(name);
        if (name.equals("quality_score")) {
            return boundedMean(metric, Direction.LOWER_IS_WORSE, m);
        } else if (name.equals("cost_per_request")) {
            return unboundedMean(metric, Direction.HIGHER_IS_WORSE, m);
        } else if (name.endsWith("_rate") && name.length() > "_rate".length()) {
            return proportion(metric, m);
        } else if (quantileName.matches() && !(quantileName.group(2).length() > 2
                && quantileName.group(2).endsWith("0"))) {
            // p95 = 0.95, p999 = 0.999; p100 or p500 would be ambiguous.
            String digits = quantileName.group(2);
            return quantile(metric, Integer.parseInt(digits) / Math.pow(10, digits.length()), m);
        }
        throw new IllegalArgumentException("unknown guard metric '" + metric
                + "': expected *_rate, <field>_pNN, quality_score or cost_per_request");
    }

    public GuardSpec withDesign(double samples, double alpha) {
        return new GuardSpec(metric, kind, quantile, direction, margin, samples, alpha, minSamples);
    }

    public GuardSpec withMinSamples(long samples) {
        return new GuardSpec(metric, kind, quantile, direction, margin, designSamples, designAlpha, samples);
    }

    /** A fresh confidence sequence for one cohort of this guard. */
    public ConfidenceSequence newConfidenceSequence() {
        return switch (kind) {
            case PROPORTION -> new BernoulliConfidenceSequence(designSamples, designAlpha);
            case BOUNDED_MEAN -> new BoundedMeanConfidenceSequence(designAlpha);
            case UNBOUNDED_MEAN -> new AsymptoticMeanConfidenceSequence(designSamples, designAlpha, minSamples,
                    RELATIVE_SD_FLOOR);
            case QUANTILE -> new QuantileConfidenceSequence(quantile, designSamples, designAlpha);
        };
    }

    ConfidenceSequence readConfidenceSequence(DataInput in) throws IOException {
        return switch (kind) {
            case PROPORTION -> BernoulliConfidenceSequence.readFrom(in, designSamples, designAlpha);
            case BOUNDED_MEAN -> BoundedMeanConfidenceSequence.readFrom(in, designAlpha);
            case UNBOUNDED_MEAN -> AsymptoticMeanConfidenceSequence.readFrom(in, designSamples, designAlpha,
                    minSamples, RELATIVE_SD_FLOOR);
            case QUANTILE -> QuantileConfidenceSequence.readFrom(in, quantile, designSamples, designAlpha);
        };
    }

    /**
     * How much worse {@code canary} is than {@code baseline}, on the margin's scale: a difference
     * for an absolute margin, a fraction of the baseline for a relative one; positive is worse.
     * It rises with the canary's value when higher is worse and falls with the baseline's, so
     * plugging in the opposite confidence bounds gives bounds on the worsening.
     */
    public double worsening(double baseline, double canary) {
        boolean higherIsWorse = direction == Direction.HIGHER_IS_WORSE;
        if (margin.relative()) {
            double ratio = baseline == 0 ? (canary == 0 ? 1 : Double.POSITIVE_INFINITY) : canary / baseline;
            return higherIsWorse ? ratio - 1 : 1 - ratio;
        }
        return higherIsWorse ? canary - baseline : baseline - canary;
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeUTF(metric);
        out.writeByte(kind.ordinal());
        out.writeDouble(quantile);
        out.writeByte(direction.ordinal());
        out.writeDouble(margin.amount());
        out.writeBoolean(margin.relative());
        out.writeDouble(designSamples);
        out.writeDouble(designAlpha);
        out.writeLong(minSamples);
    }

    static GuardSpec readFrom(DataInput in) throws IOException {
        String metric = in.readUTF();
        MetricKind kind = MetricKind.values()[in.readByte()];
        double quantile = in.readDouble();
        Direction direction = Direction.values()[in.readByte()];
        Margin margin = new Margin(in.readDouble(), in.readBoolean());
        return new GuardSpec(metric, kind, quantile, direction, margin, in.readDouble(), in.readDouble(),
                in.readLong());
    }
}
