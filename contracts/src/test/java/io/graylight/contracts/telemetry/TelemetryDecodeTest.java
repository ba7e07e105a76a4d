package io.graylight.contracts.telemetry;

import static io.graylight.contracts.telemetry.TelemetrySamples.FEEDBACK;
import static io.graylight.contracts.telemetry.TelemetrySamples.MINIMAL_FEEDBACK;
import static io.graylight.contracts.telemetry.TelemetrySamples.MINIMAL_REQUEST;
import static io.graylight.contracts.telemetry.TelemetrySamples.REQUEST;
import static io.graylight.contracts.telemetry.TelemetrySamples.edit;
import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.contracts.telemetry.TelemetrySamples.Case;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Decoding: what the codec accepts, and the exact reason for everything it refuses. */
class TelemetryDecodeTest {

    private final TelemetryCodec codec = new TelemetryCodec();

    private static void assertRefused(Decoded decoded, String field, String reason) {
        assertThat(decoded.isValid()).as("valid").isFalse();
        assertThat(decoded.event()).isNull();
        assertThat(decoded.problem().field()).as("field").isEqualTo(field);
        assertThat(decoded.problem().message()).as("reason").isEqualTo(reason);
    }

    private static Decoded decode(byte[] bytes) {
        return new TelemetryCodec().decode(bytes);
    }

    // ------------------------------------------------------------------ valid events

    @Test
    void decodesAFullRequest() {
        Decoded decoded = codec.decode(REQUEST);

        assertThat(decoded.problem()).isNull();
        assertThat(decoded.event()).isEqualTo(TelemetryEvent.request(
                "evt-0001", Instant.parse("2026-12-01T10:04:10.250Z"), "chat", Cohort.CANARY, "v2", "user-42",
                Map.of("region", "eu-west", "tier", "pro", "platform", "web"),
                RequestStatus.OK, 812.5, 143.0, 420L, 180L, 0.0031, 0.92));
        assertThat(decoded.event().isRequest()).isTrue();
    }

    @Test
    void decodesAMinimalRequestWithOptionalFieldsAbsent() {
        TelemetryEvent event = codec.decode(MINIMAL_REQUEST).event();

        assertThat(event).isEqualTo(TelemetryEvent.request(
                "evt-0002", Instant.parse("2026-12-01T10:04:11Z"), "chat", Cohort.BASELINE, null, "user-7",
                null, RequestStatus.ERROR, 30, null, null, null, null, null));
        assertThat(event.segment()).isEmpty();
    }

    @Test
    void decodesFeedback() {
        assertThat(codec.decode(FEEDBACK).event()).isEqualTo(TelemetryEvent.feedback(
                "fb-0001", Instant.parse("2026-12-01T10:04:31Z"), "chat", Cohort.CANARY, "v2", "user-42",
                Map.of("region", "eu-west"), "evt-0001", -1));
        TelemetryEvent minimal = codec.decode(MINIMAL_FEEDBACK).event();
        assertThat(minimal.isFeedback()).isTrue();
        assertThat(minimal.score()).isEqualTo(1);
        assertThat(minimal.version()).isNull();
        assertThat(minimal.status()).isNull();
        assertThat(minimal.latencyMs()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.graylight.contracts.telemetry.TelemetrySamples#validEvents")
    void acceptsEveryValidSample(Case sample) {
        Decoded decoded = codec.decode(sample.json());

        assertThat(decoded.problem()).isNull();
        assertThat(decoded.isValid()).isTrue();
    }

    @Test
    void nullOptionalFieldsCountAsAbsent() {
        String withNulls = edit(REQUEST, o -> {
            for (String f : List.of("version", "segment", "ttftMs", "inputTokens", "outputTokens", "costUsd", "qualityScore")) {
                o.putNull(f);
            }
        });
        String without = edit(REQUEST, o -> o.remove(
                List.of("version", "segment", "ttftMs", "inputTokens", "outputTokens", "costUsd", "qualityScore")));

        TelemetryEvent event = codec.decode(withNulls).event();
        assertThat(event).isEqualTo(codec.decode(without).event());
        assertThat(event.version()).isNull();
        assertThat(event.segment()).isEmpty();
        assertThat(event.ttftMs()).isNull();
        assertThat(event.inputTokens()).isNull();
        assertThat(event.outputTokens()).isNull();
        assertThat(event.costUsd()).isNull();
        assertThat(event.qualityScore()).isNull();
    }

    @Test
    void ignoresUnknownFields() {
        String withExtras = edit(REQUEST, o -> {
            o.put("LatencyMs", -1);
            o.put("latency_ms", "slow");
            o.putObject("trace").put("spanId", "abc").putArray("deep").addArray().add(1);
            o.putNull("nothing");
        });

        assertThat(codec.decode(withExtras).event()).isEqualTo(codec.decode(REQUEST).event());
    }

    @Test
    void feedbackIgnoresRequestOnlyFieldsAndRequestIgnoresFeedbackOnlyFields() {
        TelemetryEvent feedback = codec.decode(edit(FEEDBACK, o -> {
            o.put("status", "nonsense");
            o.put("latencyMs", -5);
        })).event();
        TelemetryEvent request = codec.decode(edit(REQUEST, o -> {
            o.put("requestId", 12);
            o.put("score", 0);
        })).event();

        assertThat(feedback).isEqualTo(codec.decode(FEEDBACK).event());
        assertThat(feedback.status()).isNull();
        assertThat(request).isEqualTo(codec.decode(REQUEST).event());
        assertThat(request.score()).isNull();
    }

    @Test
    void timestampWithAnOffsetIsReadAsTheSameInstant() {
        TelemetryEvent event = codec.decode(edit(REQUEST, o -> o.put("timestamp", "2026-12-01T12:04:10.250+02:00"))).event();

        assertThat(event.timestamp()).isEqualTo(Instant.parse("2026-12-01T10:04:10.250Z"));
        assertThat(event.timestampMillis()).isEqualTo(Instant.parse("2026-12-01T10:04:10.250Z").toEpochMilli());
    }

    @Test
    void acceptsAUtf8ByteOrderMark() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

        assertThat(decode(concat(bom, utf8(REQUEST))).event()).isEqualTo(codec.decode(REQUEST).event());
    }

    @Test
    void acceptsSurroundingWhitespaceAndATrailingNewline() {
        assertThat(codec.decode("  " + REQUEST + "\r\n").event()).isEqualTo(codec.decode(REQUEST).event());
    }

    // ------------------------------------------------------------------ refused objects

    @Test
    void problemMessagesNameFieldValueAndRule() {
        assertThat(new ValidationProblem("latencyMs", "-5", "must be >= 0").message()).isEqualTo("latencyMs = -5: must be >= 0");
        assertThat(new ValidationProblem("score", null, "required field is missing")).hasToString("score: required field is missing");
        assertThat(new ValidationProblem(null, null, "empty record").message()).isEqualTo("empty record");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.graylight.contracts.telemetry.TelemetrySamples#missingFields")
    void refusesAMissingRequiredField(Case c) {
        assertRefused(codec.decode(c.json()), c.field(), c.reason());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.graylight.contracts.telemetry.TelemetrySamples#wrongTypes")
    void refusesAWrongType(Case c) {
        assertRefused(codec.decode(c.json()), c.field(), c.reason());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.graylight.contracts.telemetry.TelemetrySamples#outOfRange")
    void refusesAnOutOfRangeValue(Case c) {
        assertRefused(codec.decode(c.json()), c.field(), c.reason());
    }

    @Test
    void reportsTheFirstProblemInContractOrder() {
        String twoProblems = edit(REQUEST, o -> {
            o.put("latencyMs", -1);
            o.remove("cohort");
        });

        assertRefused(codec.decode(twoProblems), "cohort", "cohort: required field is missing");
    }

    // ------------------------------------------------------------------ not a JSON object

    static List<Arguments> notJson() {
        String truncated = REQUEST.substring(0, REQUEST.indexOf("\"latencyMs\""));
        return List.of(
                Arguments.of("empty", "", "empty record"),
                Arguments.of("only whitespace", " \t\r\n ", "empty record"),
                Arguments.of("garbage", "hello world",
                        "not valid JSON: Unrecognized token 'hello': was expecting (JSON String, Number, Array, Object"
                                + " or token 'null', 'true' or 'false') (at line 1, column 6)"),
                Arguments.of("truncated", truncated,
                        "not valid JSON: Unexpected end-of-input within/between Object entries (at line 1, column "
                                + (truncated.length() + 1) + ")"),
                Arguments.of("truncated inside an array", "{\"a\":[1,2",
                        "not valid JSON: Unexpected end-of-input: expected close marker for Array (start marker at"
                                + " [line: 1, column: 6]) (at line 1, column 10)"),
                Arguments.of("truncated inside a string", "{\"type\":\"requ",
                        "not valid JSON: Unexpected end-of-input: was expecting closing quote for a string value (at line 1, column 14)"),
                Arguments.of("trailing comma", "{\"type\":\"request\",}",
                        "not valid JSON: Unexpected character ('}' (code 125)): was expecting double-quote to start"
                                + " field name (at line 1, column 20)"),
                Arguments.of("single quotes", "{'type':'request'}",
                        "not valid JSON: Unexpected character (''' (code 39)): was expecting double-quote to start"
                                + " field name (at line 1, column 3)"),
                Arguments.of("bare NaN", "{\"latencyMs\":NaN}",
                        "not valid JSON: Non-standard token 'NaN': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS"
                                + " to allow (at line 1, column 17)"),
                Arguments.of("two objects on one line", MINIMAL_REQUEST + MINIMAL_REQUEST,
                        "not valid JSON: more than one JSON value (at line 1, column " + (MINIMAL_REQUEST.length() + 1) + ")"),
                Arguments.of("two objects on two lines", MINIMAL_REQUEST + "\n" + MINIMAL_REQUEST,
                        "not valid JSON: more than one JSON value (at line 2, column 1)"),
                Arguments.of("object then garbage", MINIMAL_REQUEST + " x",
                        "not valid JSON: Unrecognized token 'x': was expecting (JSON String, Number, Array, Object"
                                + " or token 'null', 'true' or 'false') (at line 1, column " + (MINIMAL_REQUEST.length() + 3) + ")"),
                Arguments.of("JSON array", "[" + MINIMAL_REQUEST + "]", "expected a JSON object, got an array"),
                Arguments.of("JSON string", "\"request\"", "expected a JSON object, got a string"),
                Arguments.of("JSON number", "42", "expected a JSON object, got an integer"),
                Arguments.of("JSON true", "true", "expected a JSON object, got a boolean"),
                Arguments.of("JSON null", "null", "expected a JSON object, got null"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notJson")
    void refusesWhatIsNotOneJsonObject(String name, String text, String reason) {
        assertRefused(codec.decode(text), null, reason);
    }

    @Test
    void refusesNullInput() {
        assertRefused(codec.decode((byte[]) null), null, "empty record");
        assertRefused(codec.decode((String) null), null, "empty record");
    }

    // ------------------------------------------------------------------ size limits

    @Test
    void refusesARecordOverTheSizeLimitBeforeParsing() {
        String padded = padTo(REQUEST, TelemetryCodec.DEFAULT_MAX_RECORD_BYTES + 1);

        assertRefused(codec.decode(padded), null, "record is 65537 bytes, above the limit of 65536");
        // not even looked at: garbage of that size gets the same reason
        assertRefused(codec.decode("x".repeat(200_000)), null, "record is 200000 bytes, above the limit of 65536");
    }

    @Test
    void acceptsARecordOfExactlyTheSizeLimit() {
        String padded = padTo(REQUEST, TelemetryCodec.DEFAULT_MAX_RECORD_BYTES);

        assertThat(utf8(padded)).hasSize(65536);
        assertThat(codec.decode(padded).event()).isEqualTo(codec.decode(REQUEST).event());
    }

    @Test
    void theLimitCountsBytesNotCharacters() {
        // 22,000 characters, but 66,000 bytes: € takes three
        String wide = edit(REQUEST, o -> o.put("note", "€".repeat(22_000)));

        assertThat(wide.length()).isLessThan(65536);
        assertRefused(codec.decode(wide), null,
                "record is " + utf8(wide).length + " bytes, above the limit of 65536");
    }

    @Test
    void honoursAConfiguredLimit() {
        TelemetryCodec small = new TelemetryCodec(256);

        assertThat(small.decode(MINIMAL_REQUEST).isValid()).isTrue();
        assertRefused(small.decode(REQUEST), null, "record is " + utf8(REQUEST).length + " bytes, above the limit of 256");
    }

    @Test
    void deeplyNestedUnknownFieldsWithinTheLimitDoNotBreakTheDecoder() {
        String deep = edit(MINIMAL_REQUEST, o -> o.put("x", 0))
                .replace("\"x\":0", "\"x\":" + "[".repeat(30_000) + "]".repeat(30_000));

        assertThat(utf8(deep).length).isLessThanOrEqualTo(65536);
        assertThat(codec.decode(deep).isValid()).isTrue();
    }

    // ------------------------------------------------------------------ unicode

    @Test
    void keepsNonLatinAndEmojiInIdsAndSegments() {
        String json = edit(REQUEST, o -> {
            o.put("userId", "用户-42 🚀 пользователь");
            o.put("release", "чат");
            o.putObject("segment").put("région", "Île-de-France").put("mood", "🙂").put("city", "東京");
        });

        TelemetryEvent event = codec.decode(json).event();

        assertThat(event.userId()).isEqualTo("用户-42 🚀 пользователь");
        assertThat(event.release()).isEqualTo("чат");
        assertThat(event.segment()).containsExactlyInAnyOrderEntriesOf(
                Map.of("région", "Île-de-France", "mood", "🙂", "city", "東京"));
    }

    @Test
    void readsEscapedUnicode() {
        String json = MINIMAL_REQUEST.replace("\"user-7\"", "\"\\u7528\\u6237 \\ud83d\\ude80\"");

        assertThat(codec.decode(json).event().userId()).isEqualTo("用户 🚀");
    }

    @Test
    void idLimitCountsCharactersNotUtf16Units() {
        String json = edit(REQUEST, o -> o.put("userId", "😀".repeat(256)));

        assertThat(codec.decode(json).event().userId()).hasSize(512);
    }

    static List<Arguments> invalidUtf8() {
        return List.of(
                Arguments.of("0xFF", new byte[] {(byte) 0xFF}),
                Arguments.of("lone continuation byte", new byte[] {(byte) 0x80}),
                Arguments.of("overlong encoding of '/'", new byte[] {(byte) 0xC0, (byte) 0xAF}),
                Arguments.of("encoded surrogate", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}),
                Arguments.of("above U+10FFFF", new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}),
                Arguments.of("sequence cut short", new byte[] {(byte) 0xE2, (byte) 0x82}),
                Arguments.of("Latin-1 é", new byte[] {(byte) 0xE9}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUtf8")
    void refusesInvalidUtf8InAValue(String name, byte[] bad) {
        String before = "{\"type\":\"request\",\"eventId\":\"evt-1\",\"userId\":\"ab";
        byte[] record = concat(utf8(before), bad, utf8("\"}"));

        assertRefused(decode(record), null,
                "not valid UTF-8: malformed byte sequence at byte offset " + utf8(before).length);
    }

    @Test
    void refusesInvalidUtf8InAFieldNameAndAtTheEnd() {
        assertRefused(decode(concat(utf8("{\""), new byte[] {(byte) 0xFE}, utf8("\":1}"))), null,
                "not valid UTF-8: malformed byte sequence at byte offset 2");
        byte[] cut = utf8(MINIMAL_REQUEST + "😀");
        cut = java.util.Arrays.copyOf(cut, cut.length - 1);
        assertRefused(decode(cut), null,
                "not valid UTF-8: malformed byte sequence at byte offset " + utf8(MINIMAL_REQUEST).length);
    }

    @Test
    void refusesUtf16EvenThoughJacksonCouldGuessIt() {
        byte[] utf16 = MINIMAL_REQUEST.getBytes(StandardCharsets.UTF_16LE);

        assertRefused(decode(utf16), null,
                "not valid JSON: Illegal character ((CTRL-CHAR, code 0)): only regular white space (\\r, \\n, \\t)"
                        + " is allowed between tokens (at line 1, column 3)");
    }

    // ------------------------------------------------------------------ helpers

    /** The record grown to exactly {@code size} bytes with an unknown field. */
    static String padTo(String json, int size) {
        String withPad = edit(json, o -> o.put("pad", ""));
        return withPad.replace("\"pad\":\"\"", "\"pad\":\"" + "p".repeat(size - utf8(withPad).length) + "\"");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
