package io.graylight.contracts.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Checks a parsed JSON object against the telemetry contract and builds the event.
 *
 * <p>Fields are checked in contract order and the first problem wins, so a producer fixing its
 * output sees one precise reason at a time. Unknown fields are ignored, as the contract says.
 */
final class TelemetryValidator {

    static final int MAX_ID_LENGTH = 256;
    static final int MAX_SEGMENT_ENTRIES = 32;
    private static final int MAX_VALUE_ECHO = 80;

    Decoded validate(JsonNode root) {
        if (!root.isObject()) {
            return invalid(null, root, "expected a JSON object, got " + kind(root));
        }
        try {
            return Decoded.valid(read(root));
        } catch (Problem p) {
            return Decoded.invalid(p.problem);
        }
    }

    private TelemetryEvent read(JsonNode root) {
        EventType type = EventType.fromWire(requiredString(root, "type"));
        if (type == null) {
            throw problem("type", root.get("type"), "must be \"request\" or \"feedback\"");
        }
        String eventId = requiredId(root, "eventId");
        Instant timestamp = requiredTimestamp(root);
        String release = requiredId(root, "release");
        Cohort cohort = Cohort.fromWire(requiredString(root, "cohort"));
        if (cohort == null) {
            throw problem("cohort", root.get("cohort"), "must be \"baseline\" or \"canary\"");
        }
        String version = optionalString(root, "version");
        String userId = requiredId(root, "userId");
        Map<String, String> segment = optionalSegment(root);

        if (type == EventType.FEEDBACK) {
            String requestId = requiredId(root, "requestId");
            JsonNode score = root.get("score");
            if (isAbsent(score)) {
                throw missing("score");
            }
            // canConvertToInt first: asInt() wraps, and 4294967297 would pass as 1
            if (!score.isIntegralNumber() || !score.canConvertToInt()
                    || (score.intValue() != 1 && score.intValue() != -1)) {
                throw problem("score", score, "must be 1 (thumbs up) or -1 (thumbs down)");
            }
            return new TelemetryEvent(type, eventId, timestamp, release, cohort, version, userId, segment,
                    null, null, null, null, null, null, null, requestId, score.asInt());
        }

        RequestStatus status = RequestStatus.fromWire(requiredString(root, "status"));
        if (status == null) {
            throw problem("status", root.get("status"),
                    "must be one of ok, error, timeout, rate_limited, filtered");
        }
        Double latencyMs = nonNegativeNumber(root, "latencyMs", true);
        Double ttftMs = nonNegativeNumber(root, "ttftMs", false);
        if (ttftMs != null && ttftMs > latencyMs) {
            throw problem("ttftMs", root.get("ttftMs"),
                    "time to first token cannot exceed latencyMs (" + root.get("latencyMs") + ")");
        }
        Long inputTokens = nonNegativeInteger(root, "inputTokens");
        Long outputTokens = nonNegativeInteger(root, "outputTokens");
        Double costUsd = nonNegativeNumber(root, "costUsd", false);
        Double qualityScore = number(root, "qualityScore", false);
        if (qualityScore != null && (qualityScore < 0.0 || qualityScore > 1.0)) {
            throw problem("qualityScore", root.get("qualityScore"), "must be in [0, 1]");
        }
        return new TelemetryEvent(type, eventId, timestamp, release, cohort, version, userId, segment,
                status, latencyMs, ttftMs, inputTokens, outputTokens, costUsd, qualityScore, null, null);
    }

    private static String requiredString(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (isAbsent(node)) {
            throw missing(field);
        }
        if (!node.isTextual()) {
            throw problem(field, node, "expected a string, got " + kind(node));
        }
        return node.textValue();
    }

    private static String requiredId(JsonNode root, String field) {
        String value = requiredString(root, field);
        if (value.isBlank()) {
            throw problem(field, root.get(field), "must not be empty");
        }
        int length = value.codePointCount(0, value.length()); // characters, as JSON Schema's maxLength counts them
        if (length > MAX_ID_LENGTH) {
            throw problem(field, root.get(field), "is " + length + " characters, above the limit of " + MAX_ID_LENGTH);
        }
        return value;
    }

    private static String optionalString(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (isAbsent(node)) {
            return null;
        }
        if (!node.isTextual()) {
            throw problem(field, node, "expected a string, got " + kind(node));
        }
        return node.textValue();
    }

    private static Instant requiredTimestamp(JsonNode root) {
        String text = requiredString(root, "timestamp");
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw problem("timestamp", root.get("timestamp"),
                    "must be an ISO-8601 date-time with zone, e.g. 2026-12-01T10:04:10.250Z");
        }
    }

    private static Map<String, String> optionalSegment(JsonNode root) {
        JsonNode node = root.get("segment");
        Map<String, String> segment = new HashMap<>();
        if (isAbsent(node)) {
            return segment;
        }
        if (!node.isObject()) {
            throw problem("segment", node, "expected an object of strings, got " + kind(node));
        }
        if (node.size() > MAX_SEGMENT_ENTRIES) {
            throw problem("segment", null, "has " + node.size() + " attributes, above the limit of " + MAX_SEGMENT_ENTRIES);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isTextual()) {
                throw problem("segment." + entry.getKey(), entry.getValue(), "expected a string, got " + kind(entry.getValue()));
            }
            segment.put(entry.getKey(), entry.getValue().textValue());
        }
        return segment;
    }

    private static Double nonNegativeNumber(JsonNode root, String field, boolean required) {
        Double value = number(root, field, required);
        if (value != null && value < 0) {
            throw problem(field, root.get(field), "must be >= 0");
        }
        return value;
    }

    private static Double number(JsonNode root, String field, boolean required) {
        JsonNode node = root.get(field);
        if (isAbsent(node)) {
            if (required) {
                throw missing(field);
            }
            return null;
        }
        if (!node.isNumber()) {
            throw problem(field, node, "expected a number, got " + kind(node));
        }
        double value = node.doubleValue();
        if (!Double.isFinite(value)) {
            // no echo: Jackson has already turned the 1e400 that was sent into "Infinity"
            throw problem(field, null, "must be a finite number");
        }
        return value;
    }

    private static Long nonNegativeInteger(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (isAbsent(node)) {
            return null;
        }
        if (!node.isIntegralNumber()) {
            throw problem(field, node, "expected an integer, got " + kind(node));
        }
        if (!node.canConvertToLong()) {
            throw problem(field, node, "is too large");
        }
        long value = node.longValue();
        if (value < 0) {
            throw problem(field, node, "must be >= 0");
        }
        return value;
    }

    private static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull();
    }

    private static String kind(JsonNode node) {
        switch (node.getNodeType()) {
            case ARRAY: return "an array";
            case OBJECT: return "an object";
            case STRING: return "a string";
            case NUMBER: return node.isIntegralNumber() ? "an integer" : "a number";
            case BOOLEAN: return "a boolean";
            case NULL: return "null";
            default: return node.getNodeType().name().toLowerCase();
        }
    }

    private static Problem missing(String field) {
        return new Problem(new ValidationProblem(field, null, "required field is missing"));
    }

    private static Problem problem(String field, JsonNode value, String rule) {
        return new Problem(new ValidationProblem(field, echo(value), rule));
    }

    private static Decoded invalid(String field, JsonNode value, String rule) {
        return Decoded.invalid(new ValidationProblem(field, echo(value), rule));
    }

    /** The offending value as JSON, shortened so a huge value cannot bloat the dead-letter record. */
    private static String echo(JsonNode value) {
        if (value == null) {
            return null;
        }
        String json = value.toString();
        if (json.length() <= MAX_VALUE_ECHO) {
            return json;
        }
        int end = Character.isHighSurrogate(json.charAt(MAX_VALUE_ECHO - 1)) ? MAX_VALUE_ECHO - 1 : MAX_VALUE_ECHO;
        return json.substring(0, end) + "…";
    }

    /** Unwinds the field checks at the first problem; no stack trace, since bad records are routine. */
    private static final class Problem extends RuntimeException {
        final ValidationProblem problem;

        Problem(ValidationProblem problem) {
            super(problem.message(), null, false, false);
            this.problem = problem;
        }
    }
}
