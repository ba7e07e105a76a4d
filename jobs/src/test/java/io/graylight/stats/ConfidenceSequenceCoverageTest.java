package io.graylight.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each one-sample sequence, read after every single observation, must contain the true parameter
 * at all times in at least 1 - alpha of the runs (the time-uniform guarantee, not a per-time one),
 * and must bracket its own point estimate.
 */
class ConfidenceSequenceCoverageTest {

    private static final double ALPHA = 0.05;
    private static final int RUNS = 250;
    private static final Margin ANY = Margin.absolute(0);

    static Stream<Arguments> sequences() {
        return Stream.of(
                Arguments.of(GuardSpec.proportion("error_rate", ANY), Traffic.BASELINE.withErrorRate(0.005), 6000),
                Arguments.of(GuardSpec.proportion("error_rate", ANY), Traffic.BASELINE.withErrorRate(0.3), 3000),
                Arguments.of(GuardSpec.boundedMean("quality_score", Direction.LOWER_IS_WORSE, ANY), Traffic.BASELINE,
                        5000),
                Arguments.of(GuardSpec.unboundedMean("cost_per_request", Direction.HIGHER_IS_WORSE, ANY),
                        Traffic.BASELINE, 5000),
                Arguments.of(GuardSpec.quantile("latency_p50", 0.50, ANY), Traffic.BASELINE, 4000),
                Arguments.of(GuardSpec.quantile("latency_p95", 0.95, ANY), Traffic.BASELINE, 4000),
                Arguments.of(GuardSpec.quantile("latency_p99", 0.99, ANY), Traffic.BASELINE, 4000));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void trueParameterStaysInsideAtEveryTime(GuardSpec spec, Traffic traffic, int samples) {
        double truth = traffic.truth(spec);
        long runsWithMiss = IntStream.range(0, RUNS).parallel()
                .filter(seed -> missesAtSomeTime(spec, traffic, samples, truth, new SplittableRandom(7919L * seed + 1)))
                .count();

        double rate = (double) runsWithMiss / RUNS;
        ConfidenceSequence example = spec.newConfidenceSequence();
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < samples; i++) {
            example.add(traffic.sample(spec, random));
        }
        System.out.printf("coverage %-17s truth %.5g: miss rate %.3f over %d runs x %d samples "
                        + "(final CS [%.5g, %.5g])%n", spec.metric() + " " + spec.kind().name().toLowerCase(),
                truth, rate, RUNS, samples, example.lower(ALPHA), example.upper(ALPHA));
        assertThat(rate).isLessThanOrEqualTo(Traffic.allowedRate(ALPHA, RUNS));
    }

    private static boolean missesAtSomeTime(GuardSpec spec, Traffic traffic, int samples, double truth,
            SplittableRandom random) {
        ConfidenceSequence cs = spec.newConfidenceSequence();
        for (int i = 0; i < samples; i++) {
            cs.add(traffic.sample(spec, random));
            double lower = cs.lower(ALPHA);
            double upper = cs.upper(ALPHA);
            double estimate = cs.estimate();
            if (!(lower <= estimate && estimate <= upper)) {
                throw new AssertionError("estimate " + estimate + " outside [" + lower + ", " + upper + "]");
            }
            if (truth < lower || truth > upper) {
                return true;
            }
        }
        return false;
    }
}
