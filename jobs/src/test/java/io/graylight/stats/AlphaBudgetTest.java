package io.graylight.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AlphaBudgetTest {

    @Test
    void sharesAddUpToTheRolloutAlpha() {
        AlphaBudget even = AlphaBudget.forPlan(0.01, 7, 1, 5, 25, 50, 100);
        assertThat(even.judgedStages()).isEqualTo(4);
        assertThat(even.perComparison(0, 0)).isCloseTo(0.01 / 28, within(1e-15));
        AlphaBudget weighted = AlphaBudget.weighted(0.01, 7, 1, 1, 2, 4);
        double total = 0;
        for (int stage = 0; stage < 4; stage++) {
            for (int guard = 0; guard < 7; guard++) {
                total += weighted.perComparison(stage, guard);
            }
        }
        assertThat(total).isCloseTo(0.01, within(1e-15));
        assertThat(weighted.perComparison(3, 0)).isCloseTo(4 * weighted.perComparison(0, 0), within(1e-15));
        assertThatThrownBy(() -> even.perComparison(4, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> AlphaBudget.weighted(0.01, 7, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A whole A-A rollout: three guards, four judged stages with growing canary share, each stage
     * reset and checked after every event at its share of the budget. The chance of any false
     * rollback over the rollout must stay within the rollout alpha (0.05 here, to be measurable).
     */
    @Test
    void anyFalseRollbackOverTheWholeRolloutStaysWithinBudget() {
        double rolloutAlpha = 0.05;
        double[] stages = {1, 5, 25, 50, 100};
        List<GuardSpec> guards = List.of(
                GuardSpec.proportion("error_rate", Margin.absolute(0)),
                GuardSpec.boundedMean("quality_score", Direction.LOWER_IS_WORSE, Margin.absolute(0)),
                GuardSpec.unboundedMean("cost_per_request", Direction.HIGHER_IS_WORSE, Margin.relative(0)));
        AlphaBudget budget = AlphaBudget.forPlan(rolloutAlpha, guards.size(), stages);
        int runs = 200;
        long falseRollbacks = IntStream.range(0, runs).parallel()
                .filter(seed -> anyWorse(guards, budget, stages, new SplittableRandom(65_537L * seed + 9)))
                .count();
        System.out.printf("rollout A-A: %d guards x %d judged stages at %.2g each: any false WORSE in %d/%d runs"
                + " (budget %.2f)%n", guards.size(), budget.judgedStages(), budget.perComparison(0, 0),
                falseRollbacks, runs, rolloutAlpha);
        assertThat((double) falseRollbacks / runs).isLessThanOrEqualTo(Traffic.allowedRate(rolloutAlpha, runs));
    }

    private static boolean anyWorse(List<GuardSpec> specs, AlphaBudget budget, double[] stages, SplittableRandom random) {
        List<GuardComparison> comparisons = specs.stream().map(GuardComparison::new).toList();
        for (int stage = 0; stage < budget.judgedStages(); stage++) {
            double share = stages[stage] / 100;
            comparisons.forEach(GuardComparison::reset);
            for (int i = 0; i < 4_000; i++) {
                boolean canary = random.nextDouble() < share;
                for (int g = 0; g < comparisons.size(); g++) {
                    GuardComparison comparison = comparisons.get(g);
                    comparison.observe(canary, Traffic.BASELINE.sample(comparison.spec(), random));
                    if (comparison.verdict(budget.perComparison(stage, g)) == Verdict.WORSE) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
