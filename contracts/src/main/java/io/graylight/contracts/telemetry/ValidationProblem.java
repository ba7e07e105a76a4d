package io.graylight.contracts.telemetry;

/**
 * The first thing wrong with a telemetry record: which field, the offending value (as JSON,
 * shortened) and the rule it breaks. {@code field} is null for problems of the whole record,
 * such as malformed JSON.
 */
public record ValidationProblem(String field, String value, String rule) {

    /** One line for people and for the dead-letter topic, e.g. {@code latencyMs = -5: must be >= 0}. */
    public String message() {
        if (field == null) {
            return rule;
        }
        return value == null ? field + ": " + rule : field + " = " + value + ": " + rule;
    }

    @Override
    public String toString() {
        return message();
    }
}
