package io.graylight.contracts.telemetry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Telemetry records shared by the codec tests and the schema conformance test: valid events, and
 * JSON objects the validator must refuse, each with the exact reason it must give.
 */
public final class TelemetrySamples {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String REQUEST = """
            {"type":"request","eventId":"evt-0001","timestamp":"2026-12-01T10:04:10.250Z",\
            "release":"chat","cohort":"canary","version":"v2","userId":"user-42",\
            "segment":{"region":"eu-west","tier":"pro","platform":"web"},\
            "status":"ok","latencyMs":812.5,"ttftMs":143.0,"inputTokens":420,"outputTokens":180,\
            "costUsd":0.0031,"qualityScore":0.92}""";

    public static final String MINIMAL_REQUEST = """
            {"type":"request","eventId":"evt-0002","timestamp":"2026-12-01T10:04:11Z",\
            "release":"chat","cohort":"baseline","userId":"user-7","status":"error","latencyMs":30}""";

    public static final String FEEDBACK = """
            {"type":"feedback","eventId":"fb-0001","timestamp":"2026-12-01T10:04:31Z",\
            "release":"chat","cohort":"canary","version":"v2","userId":"user-42",\
            "segment":{"region":"eu-west"},"requestId":"evt-0001","score":-1}""";

    public static final String MINIMAL_FEEDBACK = """
            {"type":"feedback","eventId":"fb-0002","timestamp":"2026-12-01T10:05:00Z",\
            "release":"chat","cohort":"baseline","userId":"user-7","requestId":"evt-0002","score":1}""";

    /** A JSON record and what decoding it must say: the field (null for the whole record) and the reason. */
    public record Case(String name, String json, String field, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    private TelemetrySamples() {}

    public static ObjectNode object(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static String edit(String json, Consumer<ObjectNode> change) {
        ObjectNode node = object(json);
        change.accept(node);
        return node.toString();
    }

    // ---------------------------------------------------------------- valid

    /** Records the codec must accept, each named. */
    public static List<Case> validEvents() {
        List<Case> valid = new ArrayList<>(List.of(
                ok("full request", REQUEST),
                ok("minimal request", MINIMAL_REQUEST),
                ok("full feedback", FEEDBACK),
                ok("minimal feedback", MINIMAL_FEEDBACK),
                ok("thumbs up", edit(FEEDBACK, o -> o.put("score", 1))),
                ok("optional fields null", edit(REQUEST, o -> {
                    for (String f : List.of("version", "segment", "ttftMs", "inputTokens", "outputTokens",
                            "costUsd", "qualityScore")) {
                        o.putNull(f);
                    }
                })),
                ok("unknown fields", edit(REQUEST, o -> {
                    o.put("LatencyMs", "not the same field");
                    o.putObject("trace").put("spanId", "abc").putArray("tags").add(1).add(true);
                    o.put("schemaVersion", 3);
                })),
                ok("feedback ignores request-only fields", edit(FEEDBACK, o -> {
                    o.put("status", "nonsense");
                    o.put("latencyMs", -5);
                })),
                ok("request ignores feedback-only fields", edit(REQUEST, o -> {
                    o.put("requestId", 12);
                    o.put("score", 0);
                })),
                ok("timestamp with offset", edit(REQUEST, o -> o.put("timestamp", "2026-12-01T12:04:10.250+02:00"))),
                ok("timestamp with nanoseconds", edit(REQUEST, o -> o.put("timestamp", "2026-12-01T10:04:10.123456789Z"))),
                ok("zero latency, ttft and tokens", edit(REQUEST, o -> {
                    o.put("latencyMs", 0);
                    o.put("ttftMs", 0);
                    o.put("inputTokens", 0);
                    o.put("outputTokens", 0);
                    o.put("costUsd", 0);
                })),
                ok("ttft equal to latency", edit(REQUEST, o -> o.put("ttftMs", 812.5))),
                ok("quality 0", edit(REQUEST, o -> o.put("qualityScore", 0))),
                ok("quality 1", edit(REQUEST, o -> o.put("qualityScore", 1.0))),
                ok("id of 256 characters", edit(REQUEST, o -> o.put("eventId", "e".repeat(256)))),
                ok("32 segment attributes", edit(REQUEST, o -> {
                    ObjectNode segment = o.putObject("segment");
                    for (int i = 0; i < 32; i++) {
                        segment.put("a" + i, "v" + i);
                    }
                })),
                ok("unicode", edit(REQUEST, o -> {
                    o.put("userId", "用户-42 🚀 пользователь");
                    o.putObject("segment").put("région", "Île-de-France").put("mood", "🙂").put("city", "東京");
                }))));
        for (RequestStatus status : RequestStatus.values()) {
            valid.add(ok("status " + status.wireName(), edit(MINIMAL_REQUEST, o -> o.put("status", status.wireName()))));
        }
        return valid;
    }

    // ---------------------------------------------------------------- invalid

    static final List<String> REQUIRED_REQUEST_FIELDS =
            List.of("type", "eventId", "timestamp", "release", "cohort", "userId", "status", "latencyMs");
    static final List<String> REQUIRED_FEEDBACK_FIELDS =
            List.of("type", "eventId", "timestamp", "release", "cohort", "userId", "requestId", "score");

    /** Every required field left out, and set to null (which counts as absent). */
    public static List<Case> missingFields() {
        List<Case> cases = new ArrayList<>();
        for (String field : REQUIRED_REQUEST_FIELDS) {
            cases.add(new Case("request without " + field, edit(REQUEST, o -> o.remove(field)),
                    field, field + ": required field is missing"));
            cases.add(new Case("request with null " + field, edit(REQUEST, o -> o.putNull(field)),
                    field, field + ": required field is missing"));
        }
        for (String field : REQUIRED_FEEDBACK_FIELDS) {
            cases.add(new Case("feedback without " + field, edit(FEEDBACK, o -> o.remove(field)),
                    field, field + ": required field is missing"));
            cases.add(new Case("feedback with null " + field, edit(FEEDBACK, o -> o.putNull(field)),
                    field, field + ": required field is missing"));
        }
        return cases;
    }

    public static List<Case> wrongTypes() {
        return List.of(
                bad("type as number", REQUEST, o -> o.put("type", 1), "type", "type = 1: expected a string, got an integer"),
                bad("eventId as number", REQUEST, o -> o.put("eventId", 42), "eventId", "eventId = 42: expected a string, got an integer"),
                bad("timestamp as epoch millis", REQUEST, o -> o.put("timestamp", 1764583450250L),
                        "timestamp", "timestamp = 1764583450250: expected a string, got an integer"),
                bad("release as array", REQUEST, o -> o.putArray("release").add("chat"),
                        "release", "release = [\"chat\"]: expected a string, got an array"),
                bad("cohort as number", REQUEST, o -> o.put("cohort", 1), "cohort", "cohort = 1: expected a string, got an integer"),
                bad("version as number", REQUEST, o -> o.put("version", 2), "version", "version = 2: expected a string, got an integer"),
                bad("userId as boolean", REQUEST, o -> o.put("userId", false), "userId", "userId = false: expected a string, got a boolean"),
                bad("segment as array", REQUEST, o -> o.putArray("segment").add("eu-west"),
                        "segment", "segment = [\"eu-west\"]: expected an object of strings, got an array"),
                bad("segment as string", REQUEST, o -> o.put("segment", "eu-west"),
                        "segment", "segment = \"eu-west\": expected an object of strings, got a string"),
                bad("segment value number", REQUEST, o -> o.putObject("segment").put("region", 5),
                        "segment.region", "segment.region = 5: expected a string, got an integer"),
                bad("segment value boolean", REQUEST, o -> o.putObject("segment").put("beta", true),
                        "segment.beta", "segment.beta = true: expected a string, got a boolean"),
                bad("segment value object", REQUEST, o -> o.putObject("segment").putObject("geo").put("lat", 1),
                        "segment.geo", "segment.geo = {\"lat\":1}: expected a string, got an object"),
                bad("segment value null", REQUEST, o -> o.putObject("segment").putNull("region"),
                        "segment.region", "segment.region = null: expected a string, got null"),
                bad("status as boolean", REQUEST, o -> o.put("status", true), "status", "status = true: expected a string, got a boolean"),
                bad("latencyMs as string", REQUEST, o -> o.put("latencyMs", "812.5"),
                        "latencyMs", "latencyMs = \"812.5\": expected a number, got a string"),
                bad("latencyMs as the string NaN", REQUEST, o -> o.put("latencyMs", "NaN"),
                        "latencyMs", "latencyMs = \"NaN\": expected a number, got a string"),
                bad("ttftMs as array", REQUEST, o -> o.putArray("ttftMs").add(143),
                        "ttftMs", "ttftMs = [143]: expected a number, got an array"),
                bad("inputTokens as float", REQUEST, o -> o.put("inputTokens", 420.5),
                        "inputTokens", "inputTokens = 420.5: expected an integer, got a number"),
                bad("outputTokens as float with zero fraction", REQUEST, o -> o.put("outputTokens", 180.0),
                        "outputTokens", "outputTokens = 180.0: expected an integer, got a number"),
                bad("outputTokens as string", REQUEST, o -> o.put("outputTokens", "180"),
                        "outputTokens", "outputTokens = \"180\": expected an integer, got a string"),
                bad("costUsd as boolean", REQUEST, o -> o.put("costUsd", false),
                        "costUsd", "costUsd = false: expected a number, got a boolean"),
                bad("qualityScore as string", REQUEST, o -> o.put("qualityScore", "high"),
                        "qualityScore", "qualityScore = \"high\": expected a number, got a string"),
                bad("requestId as object", FEEDBACK, o -> o.putObject("requestId"),
                        "requestId", "requestId = {}: expected a string, got an object"),
                bad("score as boolean", FEEDBACK, o -> o.put("score", true),
                        "score", "score = true: must be 1 (thumbs up) or -1 (thumbs down)"),
                bad("score as string", FEEDBACK, o -> o.put("score", "1"),
                        "score", "score = \"1\": must be 1 (thumbs up) or -1 (thumbs down)"));
    }

    public static List<Case> outOfRange() {
        String ts = "timestamp = \"%s\": must be an ISO-8601 date-time with zone, e.g. 2026-12-01T10:04:10.250Z";
        return List.of(
                bad("unknown type", REQUEST, o -> o.put("type", "click"), "type", "type = \"click\": must be \"request\" or \"feedback\""),
                bad("type in capitals", REQUEST, o -> o.put("type", "Request"), "type", "type = \"Request\": must be \"request\" or \"feedback\""),
                bad("unknown cohort", REQUEST, o -> o.put("cohort", "control"), "cohort", "cohort = \"control\": must be \"baseline\" or \"canary\""),
                bad("unknown status", REQUEST, o -> o.put("status", "ko"),
                        "status", "status = \"ko\": must be one of ok, error, timeout, rate_limited, filtered"),
                bad("status in capitals", REQUEST, o -> o.put("status", "OK"),
                        "status", "status = \"OK\": must be one of ok, error, timeout, rate_limited, filtered"),
                bad("bad timestamp", REQUEST, o -> o.put("timestamp", "yesterday"), "timestamp", ts.formatted("yesterday")),
                bad("timestamp without zone", REQUEST, o -> o.put("timestamp", "2026-12-01T10:04:10.250"),
                        "timestamp", ts.formatted("2026-12-01T10:04:10.250")),
                bad("timestamp date only", REQUEST, o -> o.put("timestamp", "2026-12-01"), "timestamp", ts.formatted("2026-12-01")),
                bad("timestamp with space", REQUEST, o -> o.put("timestamp", "2026-12-01 10:04:10Z"),
                        "timestamp", ts.formatted("2026-12-01 10:04:10Z")),
                bad("timestamp on 30 February", REQUEST, o -> o.put("timestamp", "2026-02-30T10:04:10Z"),
                        "timestamp", ts.formatted("2026-02-30T10:04:10Z")),
                bad("timestamp as epoch string", REQUEST, o -> o.put("timestamp", "1764583450"),
                        "timestamp", ts.formatted("1764583450")),
                bad("empty eventId", REQUEST, o -> o.put("eventId", ""), "eventId", "eventId = \"\": must not be empty"),
                bad("blank release", REQUEST, o -> o.put("release", "   "), "release", "release = \"   \": must not be empty"),
                bad("empty requestId", FEEDBACK, o -> o.put("requestId", ""), "requestId", "requestId = \"\": must not be empty"),
                bad("negative latency", REQUEST, o -> o.put("latencyMs", -1), "latencyMs", "latencyMs = -1: must be >= 0"),
                bad("negative fractional latency", REQUEST, o -> o.put("latencyMs", -0.5), "latencyMs", "latencyMs = -0.5: must be >= 0"),
                bad("latency beyond double range", REQUEST, o -> o.putRawValue("latencyMs", new RawValue("1e400")),
                        "latencyMs", "latencyMs: must be a finite number"),
                bad("cost beyond negative double range", REQUEST, o -> o.putRawValue("costUsd", new RawValue("-1e400")),
                        "costUsd", "costUsd: must be a finite number"),
                bad("negative ttft", REQUEST, o -> o.put("ttftMs", -3), "ttftMs", "ttftMs = -3: must be >= 0"),
                bad("ttft above latency", REQUEST, o -> o.put("ttftMs", 900),
                        "ttftMs", "ttftMs = 900: time to first token cannot exceed latencyMs (812.5)"),
                bad("negative inputTokens", REQUEST, o -> o.put("inputTokens", -1), "inputTokens", "inputTokens = -1: must be >= 0"),
                bad("negative outputTokens", REQUEST, o -> o.put("outputTokens", -5), "outputTokens", "outputTokens = -5: must be >= 0"),
                bad("outputTokens above 2^63-1", REQUEST, o -> o.put("outputTokens", new BigInteger("9223372036854775808")),
                        "outputTokens", "outputTokens = 9223372036854775808: is too large"),
                bad("negative cost", REQUEST, o -> o.put("costUsd", -0.01), "costUsd", "costUsd = -0.01: must be >= 0"),
                bad("quality 1.5", REQUEST, o -> o.put("qualityScore", 1.5), "qualityScore", "qualityScore = 1.5: must be in [0, 1]"),
                bad("negative quality", REQUEST, o -> o.put("qualityScore", -0.1), "qualityScore", "qualityScore = -0.1: must be in [0, 1]"),
                score("0"), score("2"), score("-2"), score("1.0"), score("4294967297"),
                bad("eventId over 256 characters", REQUEST, o -> o.put("eventId", "e".repeat(257)), "eventId",
                        "eventId = \"" + "e".repeat(79) + "…: is 257 characters, above the limit of 256"),
                // 257 emoji: the echo stops before a surrogate pair rather than split it
                bad("userId over 256 emoji", REQUEST, o -> o.put("userId", "😀".repeat(257)), "userId",
                        "userId = \"" + "😀".repeat(39) + "…: is 257 characters, above the limit of 256"),
                bad("segment over 32 attributes", REQUEST, o -> {
                    ObjectNode segment = o.putObject("segment");
                    for (int i = 0; i < 33; i++) {
                        segment.put("a" + i, "v");
                    }
                }, "segment", "segment: has 33 attributes, above the limit of 32"));
    }

    /** Every JSON object above that the validator refuses. */
    public static List<Case> invalidObjects() {
        return Stream.of(missingFields(), wrongTypes(), outOfRange()).flatMap(List::stream).toList();
    }

    private static Case score(String raw) {
        return bad("score " + raw, FEEDBACK, o -> o.putRawValue("score", new RawValue(raw)),
                "score", "score = " + raw + ": must be 1 (thumbs up) or -1 (thumbs down)");
    }

    private static Case ok(String name, String json) {
        return new Case(name, json, null, null);
    }

    private static Case bad(String name, String base, Consumer<ObjectNode> change, String field, String reason) {
        return new Case(name, edit(base, change), field, reason);
    }
}
