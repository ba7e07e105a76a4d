package io.graylight.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.alert.AlertScope;
import io.graylight.contracts.alert.AlertSource;
import io.graylight.contracts.alert.Effect;
import io.graylight.contracts.alert.MatchedEvents;
import io.graylight.contracts.alert.Severity;
import io.graylight.contracts.decision.Action;
import io.graylight.simulator.SimulationConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * Alerts as inputs of the rollout: which of them roll back, which hold and for how long, and
 * which are only recorded. Healthy simulated traffic, so any rollback here is the alert's doing.
 */
class RolloutAlertTest {

    static final Instant START = SimulationConfig.DEFAULT_START;

    static Alert alert(String rule, Severity severity, Effect effect, AlertScope scope, Duration after,
            Duration holdFor, boolean dryRun) {
        Instant at = START.plus(after);
        return new Alert(rule + "@" + after, AlertSource.CEP, rule, severity, effect, dryRun, "chat", scope, at, at,
                holdFor == null ? null : at.plus(holdFor), rule + " fired",
                new MatchedEvents(7, at.minusSeconds(20), at, List.of("e-1", "e-2"), Map.of("threshold", 5.0, "canary", 7.0)),
                null);
    }

    private static List<Decision> run(Alert... alerts) throws Exception {
        return new RolloutSimulation(RolloutTest.plan()).withAlerts(List.of(alerts)).run(RolloutTest.traffic(3).build());
    }

    @Test
    void aCriticalRollbackAlertOnTheCanaryRollsBackAtOnceCitingTheRule() throws Exception {
        Alert burst = alert("canary-error-burst", Severity.CRITICAL, Effect.ROLLBACK, AlertScope.CANARY,
                Duration.ofMinutes(2), null, false);

        List<Decision> decisions = run(burst);

        Decision last = decisions.get(decisions.size() - 1);
        assertThat(last.action()).isEqualTo(Action.ROLLBACK);
        assertThat(last.canaryPercent()).isZero();
        assertThat(last.eventTimeMillis()).isEqualTo(burst.eventTime().toEpochMilli());
        assertThat(last.reason()).contains("canary-error-burst", "critical", burst.alertId());
        assertThat(last.evidence()).singleElement().satisfies(e -> {
            assertThat(e.metric()).isEqualTo("alert:canary-error-burst");
            assertThat(e.statistic()).isEqualTo("matched-events");
            assertThat(e.value()).isEqualTo(7.0);
            assertThat(e.threshold()).isEqualTo(5.0);
        });
    }

    @Test
    void withoutAlertsTheSameTrafficIsPromotedToTheEnd() throws Exception {
        assertThat(RolloutTest.actions(run())).doesNotContain(Action.ROLLBACK, Action.HOLD).endsWith(Action.COMPLETE);
    }

    @Test
    void dryRunNotifyAndIncidentAlertsNeverRollBack() throws Exception {
        List<Decision> decisions = run(
                alert("dry", Severity.CRITICAL, Effect.ROLLBACK, AlertScope.CANARY, Duration.ofMinutes(1), null, true),
                alert("note", Severity.CRITICAL, Effect.NOTIFY, AlertScope.CANARY, Duration.ofMinutes(2), null, false),
                alert("incident", Severity.CRITICAL, Effect.ROLLBACK, AlertScope.BOTH, Duration.ofMinutes(20),
                        Duration.ofMinutes(1), false));

        assertThat(RolloutTest.actions(decisions)).doesNotContain(Action.ROLLBACK).endsWith(Action.COMPLETE);
    }

    @Test
    void aHoldAlertBlocksPromotionUntilItsHoldEndsThenTheRolloutGoesOn() throws Exception {
        List<Decision> unheld = run();
        long firstPromotion = unheld.stream().filter(d -> d.action() == Action.PROMOTE).findFirst().orElseThrow()
                .eventTimeMillis();
        // raised a minute before the first promotion would happen, holding for five
        Duration raisedAfter = Duration.ofMillis(firstPromotion - START.toEpochMilli() - 60_000);
        Alert hold = alert("ttft-regression", Severity.WARNING, Effect.HOLD, AlertScope.CANARY, raisedAfter,
                Duration.ofMinutes(5), false);

        List<Decision> decisions = run(hold);

        Decision held = decisions.stream().filter(d -> d.action() == Action.HOLD).findFirst().orElseThrow();
        assertThat(held.reason()).contains("ttft-regression", "held by");
        long promoted = decisions.stream().filter(d -> d.action() == Action.PROMOTE).findFirst().orElseThrow()
                .eventTimeMillis();
        assertThat(promoted).isGreaterThanOrEqualTo(hold.holdUntil().toEpochMilli()).isGreaterThan(firstPromotion);
        assertThat(RolloutTest.actions(decisions)).endsWith(Action.COMPLETE);
    }

    @Test
    void aWarningRollbackAlertHoldsForTheDefaultTimeInsteadOfRollingBack() throws Exception {
        Alert warning = alert("cost-blow-up", Severity.WARNING, Effect.ROLLBACK, AlertScope.CANARY,
                Duration.ofMinutes(2), null, false);

        List<Decision> decisions = run(warning);

        assertThat(RolloutTest.actions(decisions)).doesNotContain(Action.ROLLBACK).contains(Action.HOLD);
        long promoted = decisions.stream().filter(d -> d.action() == Action.PROMOTE).findFirst().orElseThrow()
                .eventTimeMillis();
        assertThat(promoted).isGreaterThanOrEqualTo(
                warning.eventTime().plus(Rollout.DEFAULT_ALERT_HOLD).toEpochMilli());
    }

    @Test
    void theAlertHoldSurvivesACheckpoint() throws Exception {
        Rollout rollout = Rollout.start(RolloutTest.plan(), START.toEpochMilli());
        rollout.onAlert(alert("ttft-regression", Severity.WARNING, Effect.HOLD, AlertScope.CANARY,
                Duration.ofMinutes(1), Duration.ofMinutes(5), false));

        DataOutputSerializer out = new DataOutputSerializer(1024);
        RolloutSerializer.INSTANCE.serialize(rollout, out);
        Rollout restored = RolloutSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(restored.alertHoldUntil()).isEqualTo(START.plus(Duration.ofMinutes(6)).toEpochMilli());
        assertThat(restored.alertHoldReason()).isEqualTo(rollout.alertHoldReason()).contains("ttft-regression");
    }
}
