package io.graylight.router.control;

import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.routing.CanarySplit;
import io.graylight.contracts.routing.TargetingRanking;
import io.graylight.contracts.telemetry.Cohort;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The router's view of the control topics: the latest decision per release (with its split,
 * checked once) and the latest targeting ranking. Written by the {@link ControlFollower} thread,
 * read by every request on every event loop: both live in one immutable snapshot that a write
 * replaces (a volatile write), so a request takes no lock and sees decisions and ranking together.
 *
 * <p>A release without a decision, or whose decision cannot be followed (unknown strategy),
 * serves the baseline only. A ROLLBACK serves the baseline only whatever its percent says. A
 * decision whose {@code seq} is not above the current one is stale (a replay) and ignored.
 */
public final class DecisionBook {

    /** A followed decision: the record, its split, why it is not followed (or null), and when it arrived. */
    public record Entry(DecisionRecord decision, CanarySplit split, String problem, Instant appliedAt) {}

    /** Everything a request reads, as one immutable value: a request sees one consistent state, without a lock. */
    private record State(Map<String, Entry> byRelease, TargetingRanking ranking) {}

    private final CopyOnWriteArrayList<Consumer<Entry>> listeners = new CopyOnWriteArrayList<>();
    // written by the follower thread (writers serialise on this object), read by every event loop
    private volatile State state = new State(Map.of(), TargetingRanking.EMPTY);

    /** Applies a decision; returns false when it is stale. */
    public boolean apply(DecisionRecord decision) {
        Entry entry;
        synchronized (this) {
            State current = state;
            Entry previous = current.byRelease().get(decision.release());
            if (previous != null && decision.seq() <= previous.decision().seq()) {
                return false;
            }
            CanarySplit split;
            String problem = null;
            double percent = decision.action() == Action.ROLLBACK ? 0.0 : decision.canaryPercent();
            try {
                split = CanarySplit.of(decision.strategy(), percent);
            } catch (IllegalArgumentException e) {
                split = CanarySplit.BASELINE_ONLY;
                problem = e.getMessage();
            }
            entry = new Entry(decision, split, problem, Instant.now());
            Map<String, Entry> next = new HashMap<>(current.byRelease());
            next.put(decision.release(), entry);
            state = new State(Map.copyOf(next), current.ranking());
        }
        listeners.forEach(listener -> listener.accept(entry));
        return true;
    }

    /** A tombstone on the compacted topic: the release is forgotten (baseline only). */
    public synchronized void remove(String release) {
        State current = state;
        if (current.byRelease().containsKey(release)) {
            Map<String, Entry> next = new HashMap<>(current.byRelease());
            next.remove(release);
            state = new State(Map.copyOf(next), current.ranking());
        }
    }

    public synchronized void setRanking(TargetingRanking ranking) {
        state = new State(state.byRelease(), ranking);
    }

    public TargetingRanking ranking() {
        return state.ranking();
    }

    public Entry entry(String release) {
        return state.byRelease().get(release);
    }

    /** The current decisions (an immutable snapshot). */
    public Map<String, Entry> entries() {
        return state.byRelease();
    }

    public Cohort cohort(String release, String userId, Map<String, String> attributes, Instant now) {
        State current = state;
        Entry entry = current.byRelease().get(release);
        if (entry == null || userId == null) {
            return Cohort.BASELINE;
        }
        return entry.split().isCanary(release, userId, attributes, now, current.ranking()) ? Cohort.CANARY : Cohort.BASELINE;
    }

    /** Called on the follower thread after each applied decision (for metrics and propagation measurements). */
    public void onApplied(Consumer<Entry> listener) {
        listeners.add(listener);
    }
}
