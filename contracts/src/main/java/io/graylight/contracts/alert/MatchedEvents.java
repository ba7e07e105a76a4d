package io.graylight.contracts.alert;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A bounded summary of what an alert matched, never the raw events.
 *
 * @param count how many events (telemetry events or metric windows) the match holds
 * @param firstEventTime event time of the first of them
 * @param lastEventTime event time of the last of them
 * @param eventIds ids of the first few matched events (at most {@link #MAX_IDS}), for drill-down
 * @param values named figures behind the alert, e.g. {@code {"errorRate": 0.12, "threshold": 0.05}}
 */
public record MatchedEvents(
        int count, Instant firstEventTime, Instant lastEventTime, List<String> eventIds, Map<String, Double> values) {

    public static final int MAX_IDS = 10;
}
