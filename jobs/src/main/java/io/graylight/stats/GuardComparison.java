package io.graylight.stats;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The anytime-valid comparison of one guard between the two cohorts: one time-uniform confidence
 * sequence per cohort, combined by a union bound, so the verdict may be read after every event.
 *
 * <p>At level {@code alpha} each cohort's sequence is read at {@code alpha / 2}. The worsening
 * (see {@link GuardSpec#worsening}) then lies in {@code [worseningLower, worseningUpper]}, built
 * from opposite ends of the two sequences, at all times with probability {@code >= 1 - alpha}:
 * <ul>
 *   <li>{@link Verdict#WORSE} when {@code worseningLower > margin}: if the canary truly is within
 *       the margin this happens, ever, with probability {@code <= alpha} (false rollback);
 *   <li>{@link Verdict#SAFE} when {@code worseningUpper <= margin}: if the canary truly is worse
 *       than the margin this happens, ever, with probability {@code <= alpha} (false promotion).
 * </ul>
 * The two cohorts need not be sampled at any particular rate or interleaving; each sequence is
 * uniform over its own sample count. State: the spec and two sequences; {@link #toBytes()} and
 * {@link #fromBytes(byte[])} round-trip it for keyed state.
 */
public final class GuardComparison implements GuardJudge {

    public static final String STATISTIC = "confidence-sequence";
    private static final byte FORMAT = 1;

    private final GuardSpec spec;
    private final ConfidenceSequence baseline;
    private final ConfidenceSequence canary;

    public GuardComparison(GuardSpec spec) {
        this(spec, spec.newConfidenceSequence(), spec.newConfidenceSequence());
    }

    private GuardComparison(GuardSpec spec, ConfidenceSequence baseline, ConfidenceSequence canary) {
        this.spec = spec;
        this.baseline = baseline;
        this.canary = canary;
    }

    @Override
    public GuardSpec spec() {
        return spec;
    }

    @Override
    public void observe(boolean isCanary, double value) {
        (isCanary ? canary : baseline).add(value);
    }

    @Override
    public long samples(boolean isCanary) {
        return (isCanary ? canary : baseline).count();
    }

    /** The baseline cohort's sequence, for reading only. */
    public ConfidenceSequence baseline() {
        return baseline;
    }

    /** The canary cohort's sequence, for reading only. */
    public ConfidenceSequence canary() {
        return canary;
    }

    @Override
    public Verdict verdict(double alpha) {
        ConfidenceSequence.checkAlpha(alpha);
        if (baseline.count() == 0 || canary.count() == 0) {
            return Verdict.INCONCLUSIVE;
        }
        // The bounds bracket the point estimates, so the point worsening already rules out one
        // side of the test; only the other needs its bounds (half the work on the per-event path).
        double margin = spec.margin().amount();
        if (spec.worsening(baseline.estimate(), canary.estimate()) > margin) {
            return worseningLower(alpha / 2) > margin ? Verdict.WORSE : Verdict.INCONCLUSIVE;
        }
        return worseningUpper(alpha / 2) <= margin ? Verdict.SAFE : Verdict.INCONCLUSIVE;
    }

    @Override
    public GuardEvidence evidence(double alpha) {
        Verdict verdict = verdict(alpha);
        double lower = worseningLower(alpha / 2);
        double upper = worseningUpper(alpha / 2);
        return new GuardEvidence(spec.metric(), verdict, baseline.estimate(), canary.estimate(), STATISTIC,
                verdict == Verdict.SAFE ? upper : lower, spec.margin().amount(), baseline.count(), canary.count(),
                lower, upper, alpha);
    }

    /** Least plausible worsening: the canary at its best bound, the baseline at its worst. */
    private double worseningLower(double alphaEach) {
        return spec.direction() == Direction.HIGHER_IS_WORSE
                ? spec.worsening(baseline.upper(alphaEach), canary.lower(alphaEach))
                : spec.worsening(baseline.lower(alphaEach), canary.upper(alphaEach));
    }

    private double worseningUpper(double alphaEach) {
        return spec.direction() == Direction.HIGHER_IS_WORSE
                ? spec.worsening(baseline.lower(alphaEach), canary.upper(alphaEach))
                : spec.worsening(baseline.upper(alphaEach), canary.lower(alphaEach));
    }

    /** Start over for a new stage; the stage gets its own share of the alpha budget. */
    @Override
    public void reset() {
        baseline.reset();
        canary.reset();
    }

    public GuardComparison copy() {
        return new GuardComparison(spec, baseline.copy(), canary.copy());
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            spec.writeTo(out);
            baseline.writeTo(out);
            canary.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static GuardComparison fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown guard state format " + format);
            }
            GuardSpec spec = GuardSpec.readFrom(in);
            ConfidenceSequence baseline = spec.readConfidenceSequence(in);
            ConfidenceSequence canary = spec.readConfidenceSequence(in);
            return new GuardComparison(spec, baseline, canary);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt guard state (" + bytes.length + " bytes)", e);
        }
    }
}
