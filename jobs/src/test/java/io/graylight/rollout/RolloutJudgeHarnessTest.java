package io.graylight.rollout;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
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
