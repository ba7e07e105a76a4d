package io.graylight.contracts.decision;

import java.time.Instant;
import java.util.List;

/**
 * A rollout decision on the compacted {@code graylight.decisions} topic (key = release).
 * {@code seq} rises by one per release with no gaps; {@code canaryPercent} and {@code strategy}
 * are all the router needs to route.
 */
public record DecisionRecord(
        String release,
        long seq,
        Action action,
        int stage,
        double canaryPercent,
        Instant eventTime,
        Instant emittedAt,
        Strategy strategy,
        String reason,
        List<Evidence> evidence) {}
