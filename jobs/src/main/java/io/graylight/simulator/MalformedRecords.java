package io.graylight.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graylight.contracts.telemetry.TelemetryEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Broken telemetry of the kinds real producers send: not JSON at all, cut off, a required field
 * missing, a field of the wrong type, a value out of range, an unknown cohort, a timestamp without
 * zone, a JSON value that is not an object. Every one must be rejected by the codec and land in
 * the dead-letter topic; none contains a line break, so a JSON Lines file keeps one per line.
 */
final class MalformedRecords {

    enum Breakage { NOT_JSON, TRUNCATED, MISSING_FIELD, WRONG_TYPE, OUT_OF_RANGE, UNKNOWN_COHORT, BAD_TIMESTAMP, NOT_AN_OBJECT }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Breakage[] BREAKAGES = Breakage.values();

    private static final List<String> NOT_JSON = List.of(
            "<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>",
            "type=request status=ok latencyMs=812.5 cohort=canary",
            "{type: 'request', status: 'ok'}",
            "\u001f\u008b\b\u0000gzip");
    private static final List<String> REQUEST_FIELDS = List.of(
            "type", "eventId", "timestamp", "release", "cohort", "userId", "status", "latencyMs");
    private static final List<String> FEEDBACK_FIELDS = List.of(
            "type", "eventId", "timestamp", "release", "cohort", "userId", "requestId", "score");
    private static final List<String> COHORTS = List.of("blue", "control", "Canary", "");
    private static final List<String> TIMESTAMPS = List.of("2026-12-01 10:00:00", "2026-12-01T10:00:00", "yesterday");

    private MalformedRecords() {}

    /** A broken version of {@code template} (whose codec bytes are {@code valid}) with a fresh id. */
    static byte[] make(SimRandom random, TelemetryEvent template, byte[] valid) {
        Breakage breakage = BREAKAGES[random.nextInt(BREAKAGES.length)];
        return make(breakage, random, template, valid);
    }

    static byte[] make(Breakage breakage, SimRandom random, TelemetryEvent template, byte[] valid) {
        ObjectNode json = tree(valid);
        json.put("eventId", random.nextUuid());
        switch (breakage) {
            case NOT_JSON:
                return NOT_JSON.get(random.nextInt(NOT_JSON.size())).getBytes(StandardCharsets.ISO_8859_1);
            case TRUNCATED: {
                byte[] whole = bytes(json);
                return Arrays.copyOf(whole, 1 + random.nextInt(whole.length - 1));
            }
            case MISSING_FIELD: {
                List<String> required = template.isRequest() ? REQUEST_FIELDS : FEEDBACK_FIELDS;
                json.remove(required.get(random.nextInt(required.size())));
                return bytes(json);
            }
            case WRONG_TYPE:
                wrongType(random.nextInt(3), template, json);
                return bytes(json);
            case OUT_OF_RANGE:
                outOfRange(random.nextInt(4), template, json);
                return bytes(json);
            case UNKNOWN_COHORT:
                json.put("cohort", COHORTS.get(random.nextInt(COHORTS.size())));
                return bytes(json);
            case BAD_TIMESTAMP:
                json.put("timestamp", TIMESTAMPS.get(random.nextInt(TIMESTAMPS.size())));
                return bytes(json);
            case NOT_AN_OBJECT: {
                ArrayNode batch = MAPPER.createArrayNode().add(json); // a batch where one event was expected
                return bytes(batch);
            }
            default:
                throw new IllegalStateException("unhandled breakage " + breakage);
        }
    }

    private static void wrongType(int variant, TelemetryEvent template, ObjectNode json) {
        switch (variant) {
            case 0 -> json.put("userId", 1000 + template.userId().length());
            case 1 -> json.putArray("segment").add(template.segment().getOrDefault("region", "eu-west"));
            default -> {
                if (template.isRequest()) {
                    json.put("latencyMs", Math.round(template.latencyMs()) + " ms");
                } else {
                    json.put("score", template.score() > 0 ? "up" : "down");
                }
            }
        }
    }

    private static void outOfRange(int variant, TelemetryEvent template, ObjectNode json) {
        if (!template.isRequest()) {
            json.put("score", variant % 2 == 0 ? 0 : 5);
            return;
        }
        switch (variant) {
            case 0 -> json.put("latencyMs", -template.latencyMs() - 1);
            case 1 -> json.put("qualityScore", 3);
            case 2 -> json.put("inputTokens", -1);
            default -> json.put("ttftMs", template.latencyMs() + 500);
        }
    }

    private static ObjectNode tree(byte[] valid) {
        try {
            return (ObjectNode) MAPPER.readTree(valid);
        } catch (IOException e) {
            throw new UncheckedIOException("the simulator's own event does not parse", e);
        }
    }

    private static byte[] bytes(Object json) {
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
