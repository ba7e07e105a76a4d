package io.graylight.cep.job;

import java.util.Map;

/**
 * What a rule's CEP operator sees: one telemetry event or one canary-vs-baseline window pair,
 * already judged against the rule's steps with the parameters in force when it passed
 * ({@link #matches}: bit i set when step i's condition holds). Conditions are evaluated upstream,
 * where the live parameters are joined on, so the CEP operator keeps only this small record in its
 * state, never the parameters or the raw event.
 *
 * <p>A Flink POJO (public fields, no-argument constructor) so that CEP state uses the POJO serializer.
 */
public class RuleEvent {
    /** The rule's key: release, then the rule's other key fields, joined by '/'. */
    public String key;
    public String release;
    /** canary, baseline, or null for a window pair. */
    public String cohort;
    /** The telemetry eventId, or {@code release@windowEnd} for a window pair. */
    public String eventId;
    public long timestamp;
    public long matches;
    /** The rule's named values on this event; null when the rule has none or no step matched. */
    public Map<String, Double> values;

    public RuleEvent() {}

    public RuleEvent(String key, String release, String cohort, String eventId, long timestamp, long matches, Map<String, Double> values) {
        this.key = key;
        this.release = release;
        this.cohort = cohort;
        this.eventId = eventId;
        this.timestamp = timestamp;
        this.matches = matches;
        this.values = values;
    }

    public boolean matches(int step) {
        return (matches & (1L << step)) != 0;
    }

    @Override
    public String toString() {
        return "RuleEvent{" + key + ", " + eventId + ", t=" + timestamp + ", matches=" + Long.toBinaryString(matches) + "}";
    }
}
