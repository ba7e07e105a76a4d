package io.graylight.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A-A: canary and baseline are the same distribution. The anytime-valid comparison is read after
 * every single event and must call WORSE in at most alpha of the runs; the naive fixed-sample
 * test, re-run every simulated minute on the same data, must not manage that.
 */
class GuardComparisonNullTest {

    private static final double ALPHA = 0.05;
    private static final int RUNS = 200;
    private static final int REQUESTS = 20_000;
    private static final double CANARY_SHARE = 0.10;
    private static final int MINUTES = 60;

    /** Zero margins: the least favourable null, where "canary worse" is one step away. */
    static Stream<GuardSpec> guards() {
        return Stream.of(
                GuardSpec.proportion("error_rate", Margin.absolute(0)),
                GuardSpec.quantile("latency_p95", 0.95, Margin.relative(0)),
                GuardSpec.boundedMean("quality_score", Direction.LOWER_IS_WORSE, Margin.absolute(0)),
                GuardSpec.unboundedMean("cost_per_request", Direction.HIGHER_IS_WORSE, Margin.relative(0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("guards")
    void identicalCohortsAreRarelyCalledWorseThoughCheckedAfterEveryEvent(GuardSpec spec) {
        long started = System.nanoTime();
        int[] outcomes = IntStream.range(0, RUNS).parallel().map(seed -> run(spec, seed)).toArray();
        long ours = IntStream.of(outcomes).filter(o -> (o & 1) != 0).count();
        long naive = IntStream.of(outcomes).filter(o -> (o & 2) != 0).count();
        long naiveOnce = IntStream.of(outcomes).filter(o -> (o & 4) != 0).count();

        double oursRate = (double) ours / RUNS;
        double naiveRate = (double) naive / RUNS;
        System.out.printf("A-A %-16s false WORSE: confidence sequences %.3f (%d/%d runs, read after every event);"
                        + " naive fixed-sample test %.3f (read every minute, %d looks); %d requests, %.0f %% canary,"
                        + " %.1f s%n", spec.metric(), oursRate, ours, RUNS, naiveRate, MINUTES, REQUESTS,
                CANARY_SHARE * 100, (System.nanoTime() - started) / 1e9);
        System.out.printf("    (the same naive test looked at once, at the end: %.3f, i.e. it is a correct"
                + " fixed-sample test; the excess is from peeking)%n", (double) naiveOnce / RUNS);
        assertThat(oursRate).isLessThanOrEqualTo(Traffic.allowedRate(ALPHA, RUNS));
        assertThat(naiveRate).as("peeking inflates the naive test's error").isGreaterThan(ALPHA);
    }

    /**
     * Bit 0: the anytime-valid judge ever said WORSE; bit 1: the naive one did at some minute;
     * bit 2: the naive one did at the end (one look).
     */
    private static int run(GuardSpec spec, int seed) {
        SplittableRandom random = new SplittableRandom(104_729L * seed + 17);
        GuardComparison comparison = new GuardComparison(spec);
        RepeatedFixedSampleJudge naive = new RepeatedFixedSampleJudge(spec);
        int perMinute = REQUESTS / MINUTES;
        int outcome = 0;
        for (int i = 1; i <= REQUESTS; i++) {
            boolean canary = random.nextDouble() < CANARY_SHARE;
            double value = Traffic.BASELINE.sample(spec, random);
            comparison.observe(canary, value);
            naive.observe(canary, value);
            if ((outcome & 1) == 0 && comparison.verdict(ALPHA) == Verdict.WORSE) {
                outcome |= 1;
            }
            if (i % perMinute == 0 && naive.verdict(ALPHA) == Verdict.WORSE) {
                outcome |= 2;
            }
        }
        if (naive.verdict(ALPHA) == Verdict.WORSE) {
            outcome |= 4;
        }
        return outcome;
    }
}
