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
 * Margins are honoured both ways: a canary that is better, or worse by less than half the
 * margin, is never called WORSE; a canary equal to (or better than) the baseline is eventually
 * proven SAFE, which is what lets a rollout promote on evidence rather than on silence.
 */
class GuardComparisonMarginTest {

    private static final double ALPHA = GuardComparisonPowerTest.ALPHA;
    private static final Margin ERROR_MARGIN = Margin.absolute(0.002);
    private static final Margin LATENCY_MARGIN = Margin.relative(0.10);
    private static final Margin QUALITY_MARGIN = Margin.absolute(0.02);
    private static final Margin COST_MARGIN = Margin.relative(0.10);
    private static final GuardSpec ERROR = GuardSpec.proportion("error_rate", ERROR_MARGIN);
    private static final GuardSpec LATENCY = GuardSpec.quantile("latency_p95", 0.95, LATENCY_MARGIN);
    private static final GuardSpec QUALITY = GuardSpec.boundedMean("quality_score", Direction.LOWER_IS_WORSE,
            QUALITY_MARGIN);
    private static final GuardSpec COST = GuardSpec.unboundedMean("cost_per_request", Direction.HIGHER_IS_WORSE,
            COST_MARGIN);

    private static final int RUNS = 40;
    private static final int REQUESTS = 8_000;

    static Stream<Arguments> tolerableCanaries() {
        Traffic base = Traffic.BASELINE;
        return Stream.of(
                Arguments.of(ERROR, base.withErrorRate(0.005), "better: 1 % -> 0.5 %"),
                Arguments.of(ERROR, base.withErrorRate(0.01 + 0.4 * 0.002), "0.4 x margin worse: 1 % -> 1.08 %"),
                Arguments.of(LATENCY, base.withLatencyScale(0.8), "better: x0.8"),
                Arguments.of(LATENCY, base.withLatencyScale(1.04), "0.4 x margin worse: x1.04"),
                Arguments.of(QUALITY, base.withQualityMean(0.85), "better: 0.8 -> 0.85"),
                Arguments.of(QUALITY, base.withQualityMean(0.8 - 0.4 * 0.02), "0.4 x margin worse: 0.8 -> 0.792"),
                Arguments.of(COST, base.withCostScale(0.8), "better: x0.8"),
                Arguments.of(COST, base.withCostScale(1.04), "0.4 x margin worse: x1.04"));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("tolerableCanaries")
    void tolerableCanaryIsNeverCalledWorse(GuardSpec spec, Traffic canary, String change) {
        for (double share : new double[] {0.05, 0.5}) {
            long runsWithWorse = IntStream.range(0, RUNS).parallel()
                    .filter(seed -> everWorse(spec, canary, share, new SplittableRandom(7_777L * seed + 3)))
                    .count();
            assertThat(runsWithWorse).as("%s at %.0f %% canary", change, share * 100).isZero();
        }
        System.out.printf("margin %-16s %-34s never WORSE in %d runs x %d requests at 5 %% and 50 %% canary%n",
                spec.metric(), change, RUNS, REQUESTS);
    }

    private static boolean everWorse(GuardSpec spec, Traffic canary, double share, SplittableRandom random) {
        GuardComparison comparison = new GuardComparison(spec);
        for (int i = 0; i < REQUESTS; i++) {
            boolean isCanary = random.nextDouble() < share;
            comparison.observe(isCanary, (isCanary ? canary : Traffic.BASELINE).sample(spec, random));
            if (comparison.verdict(ALPHA) == Verdict.WORSE) {
                return true;
            }
        }
        return false;
    }

    static Stream<Arguments> equivalentCanaries() {
        Traffic base = Traffic.BASELINE;
        return Stream.of(
                Arguments.of(ERROR, base, "equal 1 %", 1_000_000),
                Arguments.of(LATENCY, base, "equal", 200_000),
                Arguments.of(QUALITY, base, "equal", 200_000),
                Arguments.of(COST, base, "equal", 200_000),
                Arguments.of(ERROR, base.withErrorRate(0.008), "better 0.8 %", 1_000_000),
                Arguments.of(LATENCY, base.withLatencyScale(0.95), "better x0.95", 200_000));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("equivalentCanaries")
    void equivalentCanaryBecomesSafe(GuardSpec spec, Traffic canary, String change, int maxRequests) {
        int runs = 20;
        double share = 0.5;
        long[] canarySamples = IntStream.range(0, runs).parallel()
                .mapToLong(seed -> canarySamplesUntilSafe(spec, canary, share, maxRequests,
                        new SplittableRandom(1_000_003L * seed + 11)))
                .sorted().toArray();
        long safe = Arrays.stream(canarySamples).filter(n -> n != Long.MAX_VALUE).count();
        System.out.printf("safe  %-16s %-13s margin %-8s alpha %.2g: SAFE in %d/%d runs; canary samples to SAFE "
                        + "median %d, max %d (%.0f %% canary)%n", spec.metric(), change, spec.margin(), ALPHA, safe,
                runs, canarySamples[runs / 2], canarySamples[runs - 1], share * 100);
        assertThat(safe).isEqualTo(runs);
    }

    /** Canary samples when SAFE is first seen (checked every 500 requests), or {@code Long.MAX_VALUE}. */
    private static long canarySamplesUntilSafe(GuardSpec spec, Traffic canary, double share, int maxRequests,
            SplittableRandom random) {
        GuardComparison comparison = new GuardComparison(spec);
        for (int i = 1; i <= maxRequests; i++) {
            boolean isCanary = random.nextDouble() < share;
            comparison.observe(isCanary, (isCanary ? canary : Traffic.BASELINE).sample(spec, random));
            if (i % 500 == 0) {
                Verdict verdict = comparison.verdict(ALPHA);
                assertThat(verdict).isNotEqualTo(Verdict.WORSE);
                if (verdict == Verdict.SAFE) {
                    return comparison.samples(true);
                }
            }
        }
        return Long.MAX_VALUE;
    }
}
