package io.graylight.rollout;

import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.rollout.plan.RolloutPlan;
import io.graylight.simulator.SimulatedRecord;
import io.graylight.simulator.SimulationConfig;
import io.graylight.simulator.TrafficSimulator;
import io.graylight.stats.GuardComparison;
import io.graylight.stats.GuardJudge;
import io.graylight.stats.GuardSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Drives one {@link Rollout} from simulated traffic in this thread, evaluating at every second of
 * event time as {@link RolloutJudge} does, with the traffic split following the rollout's own
 * decisions as a router would. For tests and the decision benchmark: thousands of rollouts
 * without a cluster, through the same state machine the job runs.
 */
public final class RolloutSimulation {

    private final RolloutPlan plan;
    private final Function<GuardSpec, GuardJudge> judges;
    private final long evaluateEveryMillis;
    private List<Alert> alerts = List.of();

    public RolloutSimulation(RolloutPlan plan) {
        this(plan, GuardComparison::new, 1000);
    }

    /** Alerts to raise during the run, each applied before the first evaluation after its event time. */
    public RolloutSimulation withAlerts(List<Alert> alerts) {
        this.alerts = alerts.stream().sorted(Comparator.comparing(Alert::eventTime)).toList();
        return this;
    }

    /** @param evaluateEveryMillis how often the judge looks; the naive judge looks once a minute */
    public RolloutSimulation(RolloutPlan plan, Function<GuardSpec, GuardJudge> judges, long evaluateEveryMillis) {
        this.plan = plan;
        this.judges = judges;
        this.evaluateEveryMillis = evaluateEveryMillis;
    }

    /** Runs until the rollout ends or the simulation does; returns every decision in order. */
    public List<Decision> run(SimulationConfig simulation) {
        List<Decision> decisions = new ArrayList<>();
        Rollout[] rollout = {null};
        TrafficSimulator traffic = new TrafficSimulator(simulation)
                .followingCanaryPercent(release -> rollout[0] == null ? 0 : rollout[0].canaryPercent())
                .eventsOnly();
        // Duplicates (producer retries) are dropped by eventId, as the jobs do; without any, no need to remember ids.
        Set<String> seen = simulation.duplicateRate() > 0 ? new HashSet<>() : null;
        long nextEvaluation = Long.MIN_VALUE;
        int nextAlert = 0;
        for (SimulatedRecord record : traffic) {
            TelemetryEvent event = record.event();
            if (event == null || (seen != null && !seen.add(event.eventId()))) {
                continue;
            }
            long t = event.timestampMillis();
            if (rollout[0] == null) {
                rollout[0] = Rollout.start(plan, t, judges);
                decisions.add(rollout[0].startDecision());
                nextEvaluation = (Math.floorDiv(t, evaluateEveryMillis) + 1) * evaluateEveryMillis;
            }
            while (t >= nextEvaluation) {
                while (nextAlert < alerts.size() && alerts.get(nextAlert).eventTime().toEpochMilli() < nextEvaluation) {
                    var decision = rollout[0].onAlert(alerts.get(nextAlert++));
                    if (decision.isPresent()) {
                        decisions.add(decision.get());
                        if (decision.get().endsRollout()) {
                            return decisions;
                        }
                    }
                }
                var decision = rollout[0].evaluate(nextEvaluation);
                nextEvaluation += evaluateEveryMillis;
                if (decision.isPresent()) {
                    decisions.add(decision.get());
                    if (decision.get().endsRollout()) {
                        return decisions;
                    }
                }
            }
            rollout[0].observe(event);
        }
        return decisions;
    }
}
