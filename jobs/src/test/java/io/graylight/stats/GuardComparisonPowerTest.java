package io.graylight.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A clear regression of each metric kind is called WORSE, at the level a real plan gives one guard
 * at one stage (plan alpha 0.01 over 7 guards and 4 judged stages), within a few thousand canary
 * samples in at least 95 % of the runs.
 */
class GuardComparisonPowerTest {

    static final double PLAN_ALPHA = 0.01;
    static final double ALPHA = AlphaBudget.forPlan(PLAN_ALPHA, 7, 1, 5, 25, 50, 100).perComparison(0, 0);
    private static final int RUNS = 200;
    private static final double CANARY_SHARE = 0.10;
    private static final int MAX_CANARY_SAMPLES = 5_000;

    static Stream<Arguments> regressions() {
        Traffic lowErrors = Traffic.BASELINE.withErrorRate(0.005);
        return Stream.of(
                Arguments.of(GuardSpec.proportion("error_rate", Margin.absolute(0.002)), lowErrors,
                        lowErrors.withErrorRate(0.03), "0.5 % -> 3 %"),
                Arguments.of(GuardSpec.quantile("latency_p95", 0.95, Margin.relative(0.10)), Traffic.BASELINE,
                        Traffic.BASELINE.withLatencyScale(1.5), "x1.5"),
                Arguments.of(GuardSpec.boundedMean("quality_score", Direction.LOWER_IS_WORSE, Margin.absolute(0.02)),
                        Traffic.BASELINE, Traffic.BASELINE.withQualityMean(0.7), "0.8 -> 0.7"),
                Arguments.of(GuardSpec.unboundedMean("cost_per_request", Direction.HIGHER_IS_WORSE,
                        Margin.relative(0.10)), Traffic.BASELINE, Traffic.BASELINE.withCostScale(1.5), "x1.5"));
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("regressions")
    void clearRegressionIsCalledWorse(GuardSpec spec, Traffic baseline, Traffic canary, String change) {
        long[] samplesToDetection = IntStream.range(0, RUNS).parallel()
                .mapToLong(seed -> canarySamplesUntilWorse(spec, baseline, canary, new SplittableRandom(31L * seed + 5)))
                .sorted().toArray();
        long detected = Arrays.stream(samplesToDetection).filter(n -> n <= MAX_CANARY_SAMPLES).count();

        System.out.printf("power %-16s %-12s margin %-8s alpha %.2g: WORSE in %d/%d runs; canary samples to "
                        + "detection median %d, 95th pct %d (%.0f %% canary)%n", spec.metric(), change, spec.margin(),
                ALPHA, detected, RUNS, samplesToDetection[RUNS / 2], samplesToDetection[(int) (RUNS * 0.95)],
                CANARY_SHARE * 100);
        assertThat((double) detected / RUNS).isGreaterThanOrEqualTo(0.95);
    }

    /** Canary samples seen when WORSE is first called, or {@code Long.MAX_VALUE} if never. */
    private static long canarySamplesUntilWorse(GuardSpec spec, Traffic baseline, Traffic canary,
            SplittableRandom random) {
        GuardComparison comparison = new GuardComparison(spec);
        while (comparison.samples(true) < MAX_CANARY_SAMPLES) {
            boolean isCanary = random.nextDouble() < CANARY_SHARE;
            comparison.observe(isCanary, (isCanary ? canary : baseline).sample(spec, random));
            if (comparison.verdict(ALPHA) == Verdict.WORSE) {
                return comparison.samples(true);
            }
        }
        return Long.MAX_VALUE;
    }
}
