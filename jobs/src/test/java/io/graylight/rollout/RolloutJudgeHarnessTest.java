package io.graylight.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.alert.AlertScope;
import io.graylight.contracts.alert.Effect;
import io.graylight.contracts.alert.Severity;
import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.simulator.Fault;
import io.graylight.simulator.SimulatedRecord;
import io.graylight.simulator.SimulationConfig;
import io.graylight.simulator.TrafficSimulator;
import io.graylight.types.JsonSerializer;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The judge's keyed state and timers, driven event by event and watermark by watermark. */
class RolloutJudgeHarnessTest {

    @Test
    void aRolledBackReleaseKeepsOnlyItsSeqAndNoTimers() throws Exception {
        try (var harness = harness()) {
            for (SimulatedRecord record : new TrafficSimulator(SimulationConfig.builder().seed(2).canaryPercent(25)
                    .rateFactor(10).duration(Duration.ofMinutes(10)).fault(Fault.parse("error_rate=0.3@1m")).build())) {
                TelemetryEvent event = record.event();
                harness.processElement(event, event.timestampMillis());
                harness.processWatermark(event.timestampMillis() - 5_000);
            }
            harness.processWatermark(Long.MAX_VALUE);

            List<DecisionRecord> decisions = harness.extractOutputValues();
            assertThat(decisions).extracting(DecisionRecord::action).startsWith(Action.START).endsWith(Action.ROLLBACK);
            // the rollout is gone; what remains is the seq counter, so a next rollout continues it
            assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aReleaseWithoutAPlanLeavesNoStateAtAll() throws Exception {
        try (var harness = harness()) {
            for (SimulatedRecord record : new TrafficSimulator(SimulationConfig.builder().seed(2).release("other")
                    .duration(Duration.ofMinutes(2)).build())) {
                harness.processElement(record.event(), record.eventTimeMillis());
            }
            harness.processWatermark(Long.MAX_VALUE);

            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aCriticalCanaryAlertRollsBackCitingTheRuleWhileDryRunsAndNotifyChangeNothing() throws Exception {
        try (var harness = twoInputHarness()) {
            for (SimulatedRecord record : new TrafficSimulator(SimulationConfig.builder().seed(4).canaryPercent(10)
                    .rateFactor(10).duration(Duration.ofMinutes(2)).build())) {
                harness.processElement1(record.event(), record.eventTimeMillis());
            }
            harness.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(
                    SimulationConfig.DEFAULT_START.plus(Duration.ofMinutes(2)).toEpochMilli()));
            int before = harness.extractOutputValues().size();

            harness.processElement2(JudgeControl.of(RolloutAlertTest.alert("tried", Severity.CRITICAL, Effect.ROLLBACK,
                    AlertScope.CANARY, Duration.ofMinutes(2), null, true)), Long.MIN_VALUE);
            harness.processElement2(JudgeControl.of(RolloutAlertTest.alert("noted", Severity.CRITICAL, Effect.NOTIFY,
                    AlertScope.CANARY, Duration.ofMinutes(2), null, false)), Long.MIN_VALUE);
            assertThat(harness.extractOutputValues()).hasSize(before);

            Alert burst = RolloutAlertTest.alert("canary-error-burst", Severity.CRITICAL, Effect.ROLLBACK,
                    AlertScope.CANARY, Duration.ofMinutes(2), null, false);
            harness.processElement2(JudgeControl.of(burst), Long.MIN_VALUE);
            harness.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(Long.MAX_VALUE));

            List<DecisionRecord> decisions = harness.extractOutputValues();
            DecisionRecord rollback = decisions.get(decisions.size() - 1);
            assertThat(rollback.action()).isEqualTo(Action.ROLLBACK);
            assertThat(rollback.seq()).isEqualTo(decisions.size());
            assertThat(rollback.reason()).contains("canary-error-burst");
            assertThat(rollback.evidence()).extracting(e -> e.metric()).containsExactly("alert:canary-error-burst");
            assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void replayAppliesKnownAlertsInEventTimeTheSameWayEveryRun() throws Exception {
        Alert burst = RolloutAlertTest.alert("canary-error-burst", Severity.CRITICAL, Effect.ROLLBACK,
                AlertScope.CANARY, Duration.ofSeconds(150), null, false);
        List<DecisionRecord> first = replayWith(burst);

        assertThat(first).extracting(DecisionRecord::action).startsWith(Action.START).endsWith(Action.ROLLBACK);
        assertThat(first.get(first.size() - 1).eventTime()).isEqualTo(burst.eventTime());
        assertThat(replayWith(burst)).isEqualTo(first);
    }

    private static List<DecisionRecord> replayWith(Alert alert) throws Exception {
        try (var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new RolloutJudge.WithoutCommands(
                        List.of(new RolloutJudge.PlanSource(RolloutTest.PLAN, "test-plan.yaml")), true, List.of(alert))),
                TelemetryEvent::release, Types.STRING)) {
            harness.setup(new JsonSerializer<>(DecisionRecord.class));
            harness.open();
            for (SimulatedRecord record : new TrafficSimulator(SimulationConfig.builder().seed(5).canaryPercent(10)
                    .rateFactor(10).duration(Duration.ofMinutes(5)).build())) {
                harness.processElement(record.event(), record.eventTimeMillis());
                harness.processWatermark(record.eventTimeMillis() - 5_000);
            }
            harness.processWatermark(Long.MAX_VALUE);
            return harness.extractOutputValues();
        }
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, TelemetryEvent, JudgeControl, DecisionRecord>
            twoInputHarness() throws Exception {
        var harness = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new RolloutJudge(
                        List.of(new RolloutJudge.PlanSource(RolloutTest.PLAN, "test-plan.yaml")), true)),
                TelemetryEvent::release, JudgeControl::release, Types.STRING);
        harness.setup(new JsonSerializer<>(DecisionRecord.class));
        harness.open();
        return harness;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TelemetryEvent, DecisionRecord> harness() throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new RolloutJudge.WithoutCommands(
                        List.of(new RolloutJudge.PlanSource(RolloutTest.PLAN, "test-plan.yaml")), true)),
                TelemetryEvent::release, Types.STRING);
        harness.setup(new JsonSerializer<>(DecisionRecord.class));
        harness.open();
        return harness;
    }
}
