package io.graylight.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graylight.contracts.decision.Evidence;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Keyed state must survive copy and serialization without changing a single verdict or bound. */
class GuardComparisonStateTest {

    private static final double ALPHA = 0.001;

    static Stream<GuardSpec> guards() {
        return Stream.of(
                GuardSpec.proportion("error_rate", Margin.absolute(0.002)),
                GuardSpec.quantile("latency_p95", 0.95, Margin.relative(0.10)),
                GuardSpec.quantile("ttft_p99", 0.99, Margin.relative(0.20)),
                GuardSpec.boundedMean("quality_score", Direction.LOWER_IS_WORSE, Margin.absolute(0.02)),
                GuardSpec.unboundedMean("cost_per_request", Direction.HIGHER_IS_WORSE, Margin.relative(0.10))
                        .withDesign(500, 0.01).withMinSamples(50));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("guards")
    void copiesAndRestoredStateAnswerExactlyLikeTheOriginal(GuardSpec spec) {
        SplittableRandom random = new SplittableRandom(99);
        Traffic canary = Traffic.BASELINE.withErrorRate(0.05).withLatencyScale(2).withQualityMean(0.65)
                .withCostScale(1.6);
        GuardComparison original = new GuardComparison(spec);
        feed(original, spec, canary, random, 300);
        GuardComparison copy = original.copy();
        byte[] bytes = original.toBytes();
        GuardComparison restored = GuardComparison.fromBytes(bytes);
        assertThat(restored.spec()).isEqualTo(spec);

        boolean sawWorse = false;
        boolean sawInconclusive = false;
        for (int i = 0; i < 5_000; i++) {
            boolean isCanary = random.nextDouble() < 0.2;
            double value = (isCanary ? canary : Traffic.BASELINE).sample(spec, random);
            for (GuardComparison comparison : new GuardComparison[] {original, copy, restored}) {
                comparison.observe(isCanary, value);
            }
            GuardEvidence expected = original.evidence(ALPHA);
            assertThat(expected.verdict()).isEqualTo(fromBothBounds(expected, spec.margin().amount()));
            assertThat(copy.evidence(ALPHA)).isEqualTo(expected);
            assertThat(restored.evidence(ALPHA)).isEqualTo(expected);
            sawWorse |= expected.verdict() == Verdict.WORSE;
            sawInconclusive |= expected.verdict() == Verdict.INCONCLUSIVE;
        }
        assertThat(sawWorse && sawInconclusive).as("the scenario crosses a verdict change").isTrue();
        System.out.printf("state %-16s %d bytes at %d observations; identical verdicts and bounds over the next %d%n",
                spec.metric(), bytes.length, 300, 5_000);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("guards")
    void resetStartsTheStageOverAndCopiesAreIndependent(GuardSpec spec) {
        GuardComparison comparison = new GuardComparison(spec);
        feed(comparison, spec, Traffic.BASELINE, new SplittableRandom(5), 500);
        GuardComparison copy = comparison.copy();
        comparison.reset();
        assertThat(comparison.samples(true) + comparison.samples(false)).isZero();
        assertThat(comparison.verdict(ALPHA)).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(copy.samples(true) + copy.samples(false)).isEqualTo(500);
        feed(comparison, spec, Traffic.BASELINE, new SplittableRandom(5), 500);
        assertThat(comparison.evidence(ALPHA).baseline()).isEqualTo(copy.evidence(ALPHA).baseline());
    }

    @Test
    void evidenceMapsToTheDecisionContract() {
        GuardSpec spec = GuardSpec.quantile("latency_p95", 0.95, Margin.relative(0.10));
        GuardComparison comparison = new GuardComparison(spec);
        comparison.observe(false, 100);
        comparison.observe(true, 120);
        GuardEvidence evidence = comparison.evidence(0.01);
        // One sample each: no upper bound for the baseline yet, so the worsening is unbounded.
        assertThat(evidence.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(evidence.worseningUpper()).isInfinite();
        Evidence contract = evidence.toContract();
        assertThat(contract.statistic()).isEqualTo("confidence-sequence");
        assertThat(contract.threshold()).isEqualTo(0.10);
        assertThat(contract.samplesBaseline()).isEqualTo(1);
        assertThat(contract.samplesCanary()).isEqualTo(1);
        assertThat(Double.isFinite(contract.value())).isTrue();
    }

    @Test
    void rejectsForeignBytes() {
        assertThatThrownBy(() -> GuardComparison.fromBytes(new byte[] {42, 0, 1}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The verdict without the point-estimate shortcut: both bounds on the worsening against the margin. */
    private static Verdict fromBothBounds(GuardEvidence evidence, double margin) {
        if (evidence.worseningLower() > margin) {
            return Verdict.WORSE;
        }
        return evidence.worseningUpper() <= margin ? Verdict.SAFE : Verdict.INCONCLUSIVE;
    }

    private static void feed(GuardComparison comparison, GuardSpec spec, Traffic canary, SplittableRandom random,
            int requests) {
        for (int i = 0; i < requests; i++) {
            boolean isCanary = random.nextDouble() < 0.2;
            comparison.observe(isCanary, (isCanary ? canary : Traffic.BASELINE).sample(spec, random));
        }
    }
}
