package io.graylight.rollout;

import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.alert.Effect;
import io.graylight.contracts.command.RolloutCommand;
import io.graylight.contracts.json.Json;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.rollout.plan.PlanException;
import io.graylight.rollout.plan.PlanParser;
import io.graylight.rollout.plan.RolloutPlan;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by release: feeds the release's telemetry into its {@link Rollout}, judges it once per
 * second of event time (an event-time timer on each second boundary that saw events, so decisions
 * depend on the data, not on how fast it is read), applies operator commands and alerts, and
 * numbers the decisions with a gap-free {@code seq} kept in state next to the rollout.
 *
 * <p>Alerts (CEP rules, anomaly models) act as they arrive: a critical rollback alert about the
 * canary rolls it back, hold alerts block promotions for a while ({@link Rollout#onAlert}); notify
 * and dry-run alerts are only counted ({@code notifyAlerts}, {@code dryRunAlerts}), and alerts
 * for a release with no rollout running are counted as {@code unmatchedAlerts}.
 *
 * <p>Plans given to the constructor start by themselves at a release's first event (release
 * {@code *} matches every release), once per release; others start with a START command.
 * {@link WithoutCommands} is the same judge with telemetry as its only input, for replay: a
 * second input, even an empty one, delivers its watermarks on its own schedule, which would make
 * the moment a timer fires, and so the evidence it sees, depend on thread timing. Replay hands it
 * the alerts up front instead, applied in event time as the telemetry passes them.
 */
public final class RolloutJudge extends KeyedCoProcessFunction<String, TelemetryEvent, JudgeControl, DecisionRecord> {

    static final ValueStateDescriptor<Rollout> ROLLOUT = new ValueStateDescriptor<>("rollout", RolloutSerializer.INSTANCE);
    static final ValueStateDescriptor<Long> LAST_SEQ = new ValueStateDescriptor<>("last-seq", Types.LONG);
    /** Replay only: event time up to which the known alerts have been applied. */
    static final ValueStateDescriptor<Long> ALERTS_APPLIED = new ValueStateDescriptor<>("alerts-applied-until", Types.LONG);

    /** A plan file's text and name: parsed again in each task, so the function stays serializable. */
    public record PlanSource(String yaml, String name) implements Serializable {}

    private final Settings settings;
    private transient Releases releases;

    /**
     * @param stampWithEventTime write {@code emittedAt} as the decision's event time instead of
     *     the wall clock, so that replays are byte-for-byte repeatable
     */
    public RolloutJudge(List<PlanSource> autoStart, boolean stampWithEventTime) {
        this.settings = new Settings(List.copyOf(autoStart), stampWithEventTime, List.of());
    }

    @Override
    public void open(OpenContext openContext) throws PlanException {
        releases = new Releases(settings, getRuntimeContext());
    }

    @Override
    public void processElement1(TelemetryEvent event, Context ctx, Collector<DecisionRecord> out) throws Exception {
        releases.onEvent(event, ctx.getCurrentKey(), ctx.timerService(), out);
    }

    @Override
    public void processElement2(JudgeControl control, Context ctx, Collector<DecisionRecord> out) throws Exception {
        if (control.command() != null) {
            releases.onCommand(control.command(), ctx.getCurrentKey(), out);
        } else {
            releases.onAlert(control.alert(), ctx.getCurrentKey(), out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DecisionRecord> out) throws Exception {
        releases.onTimer(timestamp, ctx.getCurrentKey(), out);
    }

    /** The judge for replay: telemetry only; plans and alerts from the constructor. */
    public static final class WithoutCommands extends KeyedProcessFunction<String, TelemetryEvent, DecisionRecord> {
        private final Settings settings;
        private transient Releases releases;

        public WithoutCommands(List<PlanSource> autoStart, boolean stampWithEventTime) {
            this(autoStart, stampWithEventTime, List.of());
        }

        /** @param alerts alerts of the replayed telemetry, e.g. from the CEP rules run on it first */
        public WithoutCommands(List<PlanSource> autoStart, boolean stampWithEventTime, List<Alert> alerts) {
            this.settings = new Settings(List.copyOf(autoStart), stampWithEventTime,
                    alerts.stream().sorted(Comparator.comparing(Alert::eventTime).thenComparing(Alert::alertId))
                            .map(Json::toString).toList());
        }

        @Override
        public void open(OpenContext openContext) throws PlanException {
            releases = new Releases(settings, getRuntimeContext());
        }

        @Override
        public void processElement(TelemetryEvent event, Context ctx, Collector<DecisionRecord> out) throws Exception {
            releases.onEvent(event, ctx.getCurrentKey(), ctx.timerService(), out);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<DecisionRecord> out) throws Exception {
            releases.applyKnownAlerts(timestamp, ctx.getCurrentKey(), out);
            releases.onTimer(timestamp, ctx.getCurrentKey(), out);
        }
    }

    /** Alerts travel as JSON so that the function stays serializable. */
    private record Settings(List<PlanSource> autoStart, boolean stampWithEventTime, List<String> knownAlerts)
            implements Serializable {}

    /** The judge's logic and keyed state, shared by both function shapes. */
    private static final class Releases {
        private static final Logger LOG = LoggerFactory.getLogger(RolloutJudge.class);

        private final boolean stampWithEventTime;
        private final List<RolloutPlan> autoStartPlans = new ArrayList<>();
        private final List<Alert> knownAlerts = new ArrayList<>();
        private final ValueState<Rollout> rollout;
        private final ValueState<Long> lastSeq;
        private final ValueState<Long> alertsAppliedUntil;
        private final Counter refusedCommands;
        private final Counter dryRunAlerts;
        private final Counter notifyAlerts;
        private final Counter unmatchedAlerts;

        Releases(Settings settings, RuntimeContext context) throws PlanException {
            this.stampWithEventTime = settings.stampWithEventTime();
            for (PlanSource source : settings.autoStart()) {
                autoStartPlans.add(PlanParser.parse(source.yaml(), source.name()));
            }
            for (String alert : settings.knownAlerts()) {
                knownAlerts.add(Json.fromString(alert, Alert.class));
            }
            rollout = context.getState(ROLLOUT);
            lastSeq = context.getState(LAST_SEQ);
            alertsAppliedUntil = context.getState(ALERTS_APPLIED);
            refusedCommands = context.getMetricGroup().counter("refusedCommands");
            dryRunAlerts = context.getMetricGroup().counter("dryRunAlerts");
            notifyAlerts = context.getMetricGroup().counter("notifyAlerts");
            unmatchedAlerts = context.getMetricGroup().counter("unmatchedAlerts");
        }

        void onAlert(Alert alert, String release, Collector<DecisionRecord> out) throws Exception {
            if (alert.dryRun()) {
                dryRunAlerts.inc();
                LOG.info("dry-run alert {} of rule {} for {} ({}): {}", alert.alertId(), alert.rule(), release,
                        alert.scope(), alert.message());
                return;
            }
            if (alert.effect() == Effect.NOTIFY) {
                notifyAlerts.inc();
                return;
            }
            Rollout current = rollout.value();
            if (current == null) {
                unmatchedAlerts.inc();
                return;
            }
            Optional<Decision> decision = current.onAlert(alert);
            if (decision.isPresent()) {
                emit(decision.get(), current, release, out);
            }
            if (decision.isPresent() && decision.get().endsRollout()) {
                endRollout();
            } else {
                rollout.update(current);
            }
        }

        /** Replay: applies, in event-time order, the known alerts of this release before {@code timestamp}. */
        void applyKnownAlerts(long timestamp, String release, Collector<DecisionRecord> out) throws Exception {
            if (knownAlerts.isEmpty()) {
                return;
            }
            long from = alertsAppliedUntil.value() == null ? Long.MIN_VALUE : alertsAppliedUntil.value();
            for (Alert alert : knownAlerts) {
                long at = alert.eventTime().toEpochMilli();
                if (at >= from && at < timestamp && alert.release().equals(release)) {
                    onAlert(alert, release, out);
                }
            }
            alertsAppliedUntil.update(timestamp);
        }

        void onEvent(TelemetryEvent event, String release, TimerService timers, Collector<DecisionRecord> out)
                throws Exception {
            Rollout current = rollout.value();
            if (current == null) {
                Optional<RolloutPlan> plan = autoStartPlanFor(release);
                if (plan.isEmpty()) {
                    return;
                }
                current = Rollout.start(plan.get(), event.timestampMillis());
                emit(current.startDecision(), current, release, out);
            }
            current.observe(event);
            rollout.update(current);
            timers.registerEventTimeTimer(Math.floorDiv(event.timestampMillis(), 1000) * 1000 + 1000);
        }

        void onTimer(long timestamp, String release, Collector<DecisionRecord> out) throws Exception {
            Rollout current = rollout.value();
            if (current == null) {
                return;
            }
            Optional<Decision> decision = current.evaluate(timestamp);
            if (decision.isPresent()) {
                emit(decision.get(), current, release, out);
                if (decision.get().endsRollout()) {
                    endRollout();
                    return;
                }
            }
            rollout.update(current);
        }

        void onCommand(RolloutCommand command, String release, Collector<DecisionRecord> out) throws Exception {
            Rollout current = rollout.value();
            long now = current != null ? current.lastEventMillis() : command.issuedAt().toEpochMilli();
            Decision decision;
            switch (command.type()) {
                case START -> {
                    if (current != null) {
                        refuse(command, "a rollout is already running at stage " + current.stage());
                        return;
                    }
                    try {
                        current = Rollout.start(PlanParser.parse(command.planYaml(), command.planSource()), now);
                    } catch (PlanException e) {
                        refuse(command, e.getMessage());
                        return;
                    }
                    decision = current.startDecision();
                }
                case PAUSE, RESUME, ABORT, PROMOTE -> {
                    if (current == null) {
                        refuse(command, "no rollout is running");
                        return;
                    }
                    decision = switch (command.type()) {
                        case PAUSE -> current.pause(command.reason(), now);
                        case RESUME -> current.resume(command.reason(), now);
                        case ABORT -> current.abort(command.reason(), now);
                        default -> current.promoteManually(command.reason(), now);
                    };
                }
                default -> {
                    refuse(command, "unknown command type");
                    return;
                }
            }
            emit(decision, current, release, out);
            if (decision.endsRollout()) {
                endRollout();
            } else {
                rollout.update(current);
            }
        }

        /** What remains of an ended rollout is its seq, so that a next one continues it. */
        private void endRollout() {
            rollout.clear();
            alertsAppliedUntil.clear();
        }

        private void emit(Decision decision, Rollout current, String release, Collector<DecisionRecord> out)
                throws Exception {
            long seq = (lastSeq.value() == null ? 0 : lastSeq.value()) + 1;
            lastSeq.update(seq);
            Instant eventTime = Instant.ofEpochMilli(decision.eventTimeMillis());
            out.collect(new DecisionRecord(release, seq, decision.action(), decision.stage(), decision.canaryPercent(),
                    eventTime, stampWithEventTime ? eventTime : Instant.now(), current.plan().strategy(),
                    decision.reason(), decision.evidence()));
        }

        private Optional<RolloutPlan> autoStartPlanFor(String release) throws Exception {
            if (lastSeq.value() != null) {
                return Optional.empty(); // this release already had its rollout
            }
            return autoStartPlans.stream()
                    .filter(p -> p.release().equals(release))
                    .findFirst()
                    .or(() -> autoStartPlans.stream().filter(p -> p.release().equals(RolloutPlan.ALL_RELEASES)).findFirst());
        }

        private void refuse(RolloutCommand command, String why) {
            refusedCommands.inc();
            LOG.warn("refused {} command {} for release {}: {}", command.type(), command.commandId(), command.release(), why);
        }
    }
}
