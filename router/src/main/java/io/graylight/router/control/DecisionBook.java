package io.graylight.router.control;

import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.routing.CanarySplit;
import io.graylight.contracts.routing.TargetingRanking;
import io.graylight.contracts.telemetry.Cohort;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The router's view of the control topics: the latest decision per release (with its split,
 * checked once) and the latest targeting ranking. Written by the {@link ControlFollower} thread,
 * read lock-free by every request.
 *
 * <p>A release without a decision, or whose decision cannot be followed (unknown strategy),
 * serves the baseline only. A ROLLBACK serves the baseline only whatever its percent says. A
 * decision whose {@code seq} is not above the current one is stale (a replay) and ignored.
 */
public final class DecisionBook {

    /** A followed decision: the record, its split, why it is not followed (or null), and when it arrived. */
    public record Entry(DecisionRecord decision, CanarySplit split, String problem, Instant appliedAt) {}

    private final Map<String, Entry> byRelease = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<Entry>> listeners = new CopyOnWriteArrayList<>();
    private volatile TargetingRanking ranking = TargetingRanking.EMPTY;

    /** Applies a decision; returns false when it is stale. */
    public boolean apply(DecisionRecord decision) {
        Entry current = byRelease.get(decision.release());
        if (current != null && decision.seq() <= current.decision().seq()) {
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
        Entry entry = new Entry(decision, split, problem, Instant.now());
        byRelease.put(decision.release(), entry);
        listeners.forEach(listener -> listener.accept(entry));
        return true;
    }

    /** A tombstone on the compacted topic: the release is forgotten (baseline only). */
    public void remove(String release) {
        byRelease.remove(release);
    }

    public void setRanking(TargetingRanking ranking) {
        this.ranking = ranking;
    }

    public TargetingRanking ranking() {
        return ranking;
    }

    public Entry entry(String release) {
        return byRelease.get(release);
    }

    public Map<String, Entry> entries() {
        return Map.copyOf(byRelease);
    }

    public Cohort cohort(String release, String userId, Map<String, String> attributes, Instant now) {
        Entry entry = byRelease.get(release);
        if (entry == null || userId == null) {
            return Cohort.BASELINE;
        }
        return entry.split().isCanary(release, userId, attributes, now, ranking) ? Cohort.CANARY : Cohort.BASELINE;
    }

    /** Called on the follower thread after each applied decision (for metrics and propagation measurements). */
    public void onApplied(Consumer<Entry> listener) {
        listeners.add(listener);
    }
}
