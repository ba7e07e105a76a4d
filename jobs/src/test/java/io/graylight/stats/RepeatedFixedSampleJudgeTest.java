package io.graylight.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The naive judge is a correct fixed-sample test; only its repetition is wrong. */
class RepeatedFixedSampleJudgeTest {

    @Test
    void callsAnObviousRegressionWorseAndAnObviousMatchSafe() {
        SplittableRandom random = new SplittableRandom(1);
        GuardSpec spec = GuardSpec.quantile("latency_p95", 0.95, Margin.relative(0.10));
        RepeatedFixedSampleJudge worse = new RepeatedFixedSampleJudge(spec);
        RepeatedFixedSampleJudge same = new RepeatedFixedSampleJudge(spec);
        for (int i = 0; i < 40_000; i++) {
            boolean canary = i % 2 == 0;
            worse.observe(canary, (canary ? Traffic.BASELINE.withLatencyScale(1.5) : Traffic.BASELINE)
                    .sample(spec, random));
            same.observe(canary, Traffic.BASELINE.sample(spec, random));
        }
        assertThat(worse.verdict(0.01)).isEqualTo(Verdict.WORSE);
        assertThat(same.verdict(0.01)).isEqualTo(Verdict.SAFE);
        assertThat(worse.evidence(0.01).statistic()).isEqualTo("z");
        assertThat(worse.evidence(0.01).threshold()).isCloseTo(2.326, org.assertj.core.api.Assertions.within(1e-3));
    }

    @Test
    void welchTestOnMeans() {
        SplittableRandom random = new SplittableRandom(2);
        GuardSpec spec = GuardSpec.boundedMean("quality_score", Direction.LOWER_IS_WORSE, Margin.absolute(0.02));
        RepeatedFixedSampleJudge judge = new RepeatedFixedSampleJudge(spec);
        for (int i = 0; i < 4_000; i++) {
            boolean canary = i % 4 == 0;
            judge.observe(canary, (canary ? Traffic.BASELINE.withQualityMean(0.7) : Traffic.BASELINE)
                    .sample(spec, random));
        }
        assertThat(judge.verdict(0.01)).isEqualTo(Verdict.WORSE);
        assertThat(judge.evidence(0.01).statistic()).isEqualTo("welch-t");
        judge.reset();
        assertThat(judge.verdict(0.01)).isEqualTo(Verdict.INCONCLUSIVE);
    }
}
