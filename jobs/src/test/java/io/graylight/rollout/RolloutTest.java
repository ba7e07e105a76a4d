package io.graylight.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.contracts.decision.Action;
import io.graylight.rollout.plan.PlanParser;
import io.graylight.rollout.plan.RolloutPlan;
import io.graylight.simulator.Fault;
import io.graylight.simulator.SimulationConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The rollout state machine on simulated traffic that follows its own decisions, as the router
 * would: no cluster, the same logic the decision job runs.
 */
class RolloutTest {

    static final String PLAN = """
            release: chat
            stages: [10, 25, 50, 100]
            minStageDuration: 3m
            minSamples: 300
            alpha: 0.01
            guards:
              - {metric: error_rate, margin: 0.03}
              - {metric: timeout_rate, margin: 0.03}
              - {metric: latency_p50, relativeMargin: 0.30}
              - {metric: quality_score, margin: 0.05}
            """;

    static RolloutPlan plan() throws Exception {
        return PlanParser.parse(PLAN, "test-plan.yaml");
    }

    static SimulationConfig.Builder traffic(long seed) {
        return SimulationConfig.builder().seed(seed).rateFactor(20).duration(Duration.ofMinutes(30));
    }

    static List<Action> actions(List<Decision> decisions) {
        return decisions.stream().map(Decision::action).toList();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void aHealthyCanaryIsPromotedThroughEveryStageToComplete(long seed) throws Exception {
        List<Decision> decisions = new RolloutSimulation(plan()).run(traffic(seed).build());

        assertThat(actions(decisions)).doesNotContain(Action.ROLLBACK).endsWith(Action.COMPLETE);
        assertThat(decisions.stream().filter(d -> d.action() == Action.PROMOTE).map(Decision::canaryPercent))
                .containsExactly(25.0, 50.0);
        Decision complete = decisions.get(decisions.size() - 1);
        assertThat(complete.canaryPercent()).isEqualTo(100.0);
        assertThat(complete.evidence()).extracting(e -> e.metric())
                .containsExactly("error_rate", "timeout_rate", "latency_p50", "quality_score");
        assertThat(complete.reason()).contains("within the margin on every guard");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"error_rate=0.15@4m", "latency=2.5@4m", "quality_drop=0.25@4m"})
    void aClearRegressionIsRolledBackWithEvidenceNamingTheMetric(String fault) throws Exception {
        List<Decision> decisions = new RolloutSimulation(plan()).run(traffic(7).fault(Fault.parse(fault)).build());

        Decision last = decisions.get(decisions.size() - 1);
        assertThat(last.action()).isEqualTo(Action.ROLLBACK);
        assertThat(last.canaryPercent()).isZero();
        String expectedMetric = switch (fault.substring(0, fault.indexOf('='))) {
            case "error_rate" -> "error_rate";
            case "latency" -> "latency_p50";
            default -> "quality_score";
        };
        assertThat(last.evidence()).extracting(e -> e.metric()).contains(expectedMetric);
        assertThat(last.reason()).contains(expectedMetric).contains("worse than baseline");
        long onset = decisions.get(0).eventTimeMillis() + Duration.ofMinutes(4).toMillis();
        assertThat(last.eventTimeMillis()).isGreaterThan(onset);
    }

    @Test
    void aSilentCanaryIsRolledBack() throws Exception {
        List<Decision> decisions = new RolloutSimulation(plan()).run(traffic(3).fault(Fault.parse("silence@2m")).build());

        Decision last = decisions.get(decisions.size() - 1);
        assertThat(last.action()).isEqualTo(Action.ROLLBACK);
        assertThat(last.reason()).startsWith("silent canary");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void aRouterThatLearnsOfTheStartLateIsNotMistakenForASilentCanary(long seed) throws Exception {
        List<Decision> decisions = new RolloutSimulation(plan()).withRouterLag(Duration.ofSeconds(45))
                .run(traffic(seed).build());

        assertThat(actions(decisions)).doesNotContain(Action.ROLLBACK).endsWith(Action.COMPLETE);
    }

    @Test
    void aCanaryThatNeverSendsAnythingIsRolledBackOnceTheStartGraceIsOver() throws Exception {
        List<Decision> decisions = new RolloutSimulation(plan()).withRouterLag(Duration.ofHours(1))
                .run(traffic(3).build());

        Decision last = decisions.get(decisions.size() - 1);
        assertThat(last.action()).isEqualTo(Action.ROLLBACK);
        assertThat(last.reason()).startsWith("silent canary");
        assertThat(last.eventTimeMillis() - decisions.get(0).eventTimeMillis())
                .isGreaterThanOrEqualTo(Rollout.START_GRACE.toMillis());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {5, 6, 7, 8, 9, 10})
    void anIncidentHittingBothCohortsHoldsAndNeverRollsBack(long seed) throws Exception {
        List<Decision> decisions = new RolloutSimulation(plan())
                .run(traffic(seed).duration(Duration.ofMinutes(8)).fault(Fault.parse("error_rate=0.3@2m:both")).build());

        assertThat(actions(decisions)).doesNotContain(Action.ROLLBACK, Action.PROMOTE, Action.COMPLETE);
        assertThat(decisions).anySatisfy(d -> {
            assertThat(d.action()).isEqualTo(Action.HOLD);
            assertThat(d.reason()).contains("incident");
        });
    }

    @Test
    void aSplitFarFromThePlansHoldsForASampleRatioMismatch() throws Exception {
        // The router sends half the users to the canary while the plan's first stage says 10 %.
        Rollout rollout = null;
        List<Decision> decisions = new java.util.ArrayList<>();
        long nextSecond = Long.MIN_VALUE;
        for (var record : new io.graylight.simulator.TrafficSimulator(traffic(8).canaryPercent(50)
                .duration(Duration.ofMinutes(6)).build())) {
            long t = record.eventTimeMillis();
            if (rollout == null) {
                rollout = Rollout.start(plan(), t);
                nextSecond = t + 1000;
            }
            for (; nextSecond <= t; nextSecond += 1000) {
                rollout.evaluate(nextSecond).ifPresent(decisions::add);
            }
            rollout.observe(record.event());
        }

        assertThat(actions(decisions)).containsOnly(Action.HOLD);
        assertThat(decisions).singleElement().satisfies(d ->
                assertThat(d.reason()).startsWith("sample ratio mismatch: the canary served 5").contains("the plan says 10.0% of users"));
    }

    @Test
    void operatorCommandsPauseResumePromoteAndAbort() throws Exception {
        Rollout rollout = Rollout.start(plan(), 0);
        assertThat(rollout.pause("investigating", 1000).action()).isEqualTo(Action.PAUSE);
        assertThat(rollout.paused()).isTrue();
        assertThat(rollout.evaluate(Duration.ofHours(1).toMillis())).as("no promotion while paused").isEmpty();
        assertThat(rollout.resume(null, 2000).action()).isEqualTo(Action.RESUME);
        Decision promoted = rollout.promoteManually("ok by SRE", 3000);
        assertThat(promoted.action()).isEqualTo(Action.PROMOTE);
        assertThat(promoted.canaryPercent()).isEqualTo(25.0);
        assertThat(promoted.reason()).isEqualTo("manual promotion: ok by SRE");
        Decision aborted = rollout.abort("bad vibes", 4000);
        assertThat(aborted.action()).isEqualTo(Action.ROLLBACK);
        assertThat(aborted.canaryPercent()).isZero();
        assertThat(aborted.reason()).isEqualTo("aborted by operator: bad vibes");
    }
}
