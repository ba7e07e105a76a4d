package io.graylight.rollout;

import io.graylight.contracts.command.RolloutCommand;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.rollout.plan.PlanException;
import io.graylight.rollout.plan.PlanParser;
import io.graylight.rollout.plan.RolloutPlan;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by release: feeds the release's telemetry into its {@link Rollout}, judges it once per
 * second of event time (an event-time timer on each second boundary that saw events, so decisions
 * depend on the data, not on how fast it is read), applies operator commands, and numbers the
 * decisions with a gap-free {@code seq} kept in state next to the rollout.
 *
 * <p>Plans given to the constructor start by themselves at a release's first event (release
 * {@code *} matches every release), once per release; others start with a START command.
 */
public final class RolloutJudge extends KeyedCoProcessFunction<String, TelemetryEvent, RolloutCommand, DecisionRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(RolloutJudge.class);

    static final ValueStateDescriptor<Rollout> ROLLOUT = new ValueStateDescriptor<>("rollout", RolloutSerializer.INSTANCE);
    static final ValueStateDescriptor<Long> LAST_SEQ = new ValueStateDescriptor<>("last-seq", Types.LONG);

    /** A plan file's text and name: parsed again in each task, so the function stays serializable. */
    public record PlanSource(String yaml, String name) implements Serializable {}

    private final List<PlanSource> autoStart;
    private final boolean stampWithEventTime;

    private transient List<RolloutPlan> autoStartPlans;
    private transient ValueState<Rollout> rollout;
    private transient ValueState<Long> lastSeq;
    private transient Counter refusedCommands;

    /**
     * @param stampWithEventTime write {@code emittedAt} as the decision's event time instead of
     *     the wall clock, so that replays are byte-for-byte repeatable
     */
    public RolloutJudge(List<PlanSource> autoStart, boolean stampWithEventTime) {
        this.autoStart = List.copyOf(autoStart);
        this.stampWithEventTime = stampWithEventTime;
    }

    @Override
    public void open(OpenContext openContext) throws PlanException {
        autoStartPlans = new ArrayList<>();
        for (PlanSource source : autoStart) {
            autoStartPlans.add(PlanParser.parse(source.yaml(), source.name()));
        }
        rollout = getRuntimeContext().getState(ROLLOUT);
        lastSeq = getRuntimeContext().getState(LAST_SEQ);
        refusedCommands = getRuntimeContext().getMetricGroup().counter("refusedCommands");
    }

    @Override
    public void processElement1(TelemetryEvent event, Context ctx, Collector<DecisionRecord> out) throws Exception {
        Rollout current = rollout.value();
        if (current == null) {
            Optional<RolloutPlan> plan = autoStartPlanFor(event.release());
            if (plan.isEmpty()) {
                return;
            }
            current = Rollout.start(plan.get(), event.timestampMillis());
            emit(current.startDecision(), current, ctx.getCurrentKey(), out);
        }
        current.observe(event);
        rollout.update(current);
        ctx.timerService().registerEventTimeTimer(nextSecond(event.timestampMillis()));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DecisionRecord> out) throws Exception {
        Rollout current = rollout.value();
        if (current == null) {
            return;
        }
        Optional<Decision> decision = current.evaluate(timestamp);
        if (decision.isPresent()) {
            emit(decision.get(), current, ctx.getCurrentKey(), out);
            if (decision.get().endsRollout()) {
                rollout.clear();
                return;
            }
        }
        rollout.update(current);
    }

    @Override
    public void processElement2(RolloutCommand command, Context ctx, Collector<DecisionRecord> out) throws Exception {
        Rollout current = rollout.value();
        long now = current != null ? current.lastEventMillis() : command.issuedAt().toEpochMilli();
        Decision decision;
        switch (command.type()) {
            case START -> {
                if (current != null) {
                    refuse(command, "a rollout is already running at stage " + current.stage());
                    return;
                }
                RolloutPlan plan;
                try {
                    plan = PlanParser.parse(command.planYaml(), command.planSource());
                } catch (PlanException e) {
                    refuse(command, e.getMessage());
                    return;
                }
                current = Rollout.start(plan, now);
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
        emit(decision, current, ctx.getCurrentKey(), out);
        if (decision.endsRollout()) {
            rollout.clear();
        } else {
            rollout.update(current);
        }
    }

    private void emit(Decision decision, Rollout current, String release, Collector<DecisionRecord> out) throws Exception {
        long seq = (lastSeq.value() == null ? 0 : lastSeq.value()) + 1;
        lastSeq.update(seq);
        Instant eventTime = Instant.ofEpochMilli(decision.eventTimeMillis());
        out.collect(new DecisionRecord(
                release, seq, decision.action(), decision.stage(), decision.canaryPercent(), eventTime,
                stampWithEventTime ? eventTime : Instant.now(),
                current.plan().strategy(), decision.reason(), decision.evidence()));
    }

    private Optional<RolloutPlan> autoStartPlanFor(String release) throws Exception {
        if (lastSeq.value() != null) {
            return Optional.empty(); // this release already had its rollout
        }
        return autoStartPlans.stream()
                .filter(p -> p.release().equals(release))
                .findFirst()
                .or(() -> autoStartPlans.stream().filter(p -> p.release().equals("*")).findFirst());
    }

    private void refuse(RolloutCommand command, String why) {
        refusedCommands.inc();
        LOG.warn("refused {} command {} for release {}: {}", command.type(), command.commandId(), command.release(), why);
    }

    private static long nextSecond(long millis) {
        return Math.floorDiv(millis, 1000) * 1000 + 1000;
    }
}
