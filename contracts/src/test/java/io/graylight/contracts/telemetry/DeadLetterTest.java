package io.graylight.contracts.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.contracts.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DeadLetterTest {

    private static final ValidationProblem PROBLEM = new ValidationProblem("latencyMs", "-5", "must be >= 0");
    private static final Instant EVENT_TIME = Instant.parse("2026-12-01T10:04:10.250Z");
    private static final Instant RECEIVED = Instant.parse("2026-12-01T10:04:11Z");

    private static DeadLetter of(byte[] raw) {
        return DeadLetter.of(PROBLEM, raw, "graylight.telemetry-3", 1234, EVENT_TIME, RECEIVED);
    }

    @Test
    void keepsReasonOriginAndTimes() {
        DeadLetter letter = of("{}".getBytes(StandardCharsets.UTF_8));

        assertThat(letter.reason()).isEqualTo("latencyMs = -5: must be >= 0");
        assertThat(letter.field()).isEqualTo("latencyMs");
        assertThat(letter.origin()).isEqualTo("graylight.telemetry-3");
        assertThat(letter.offset()).isEqualTo(1234);
        assertThat(letter.eventTime()).isEqualTo(EVENT_TIME);
        assertThat(letter.receivedAt()).isEqualTo(RECEIVED);
    }

    @Test
    void keepsASmallUtf8RecordWholeAsText() {
        String record = "{\"userId\":\"用户 🚀\",\"latencyMs\":-5}";
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);

        DeadLetter letter = of(bytes);

        assertThat(letter.raw()).isEqualTo(record);
        assertThat(letter.rawEncoding()).isEqualTo("utf-8");
        assertThat(letter.rawTruncated()).isFalse();
        assertThat(letter.rawBytes()).isEqualTo(bytes.length);
    }

    @Test
    void keepsBinaryAsBase64() {
        byte[] bytes = {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, (byte) 0xC0, '"', '}', 0};

        DeadLetter letter = of(bytes);

        assertThat(letter.rawEncoding()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(letter.raw())).isEqualTo(bytes);
        assertThat(letter.rawTruncated()).isFalse();
        assertThat(letter.rawBytes()).isEqualTo(11);
    }

    @Test
    void keepsOnlyTheFirstKibibyteOfALongRecord() {
        String record = "x".repeat(5000);

        DeadLetter letter = of(record.getBytes(StandardCharsets.UTF_8));

        assertThat(letter.raw()).isEqualTo("x".repeat(DeadLetter.RAW_PREFIX_BYTES));
        assertThat(letter.rawEncoding()).isEqualTo("utf-8");
        assertThat(letter.rawTruncated()).isTrue();
        assertThat(letter.rawBytes()).isEqualTo(5000);
    }

    @Test
    void aRecordOfExactlyOneKibibyteIsNotTruncated() {
        DeadLetter letter = of("y".repeat(1024).getBytes(StandardCharsets.UTF_8));

        assertThat(letter.raw()).hasSize(1024);
        assertThat(letter.rawTruncated()).isFalse();
    }

    @Test
    void keepsTheFirstKibibyteOfLongBinaryAsBase64() {
        byte[] bytes = new byte[3000];
        Arrays.fill(bytes, (byte) 0xFF);

        DeadLetter letter = of(bytes);

        assertThat(letter.rawEncoding()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(letter.raw())).isEqualTo(Arrays.copyOf(bytes, 1024));
        assertThat(letter.rawTruncated()).isTrue();
        assertThat(letter.rawBytes()).isEqualTo(3000);
    }

    @Test
    void aLongRecordWithAnInvalidByteInItsPrefixIsBase64() {
        byte[] bytes = "z".repeat(3000).getBytes(StandardCharsets.UTF_8);
        bytes[1023] = (byte) 0xFF; // the very last byte of the prefix: must not be trimmed as a "partial" character

        DeadLetter letter = of(bytes);

        assertThat(letter.rawEncoding()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(letter.raw())).isEqualTo(Arrays.copyOf(bytes, 1024));
    }

    /** Every multi-byte character, at every alignment against the 1,024-byte cut. */
    static List<Arguments> multiByteCuts() {
        return List.of("é", "€", "😀").stream()
                .flatMap(c -> IntStream.range(0, 4).mapToObj(shift -> Arguments.of(c, shift)))
                .toList();
    }

    @ParameterizedTest(name = "{0} shifted by {1}")
    @MethodSource("multiByteCuts")
    void neverSplitsAMultiByteCharacterNorDropsAWholeOne(String character, int shift) {
        String record = "a".repeat(shift) + character.repeat(2000);
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        int width = character.getBytes(StandardCharsets.UTF_8).length;

        DeadLetter letter = of(bytes);

        assertThat(letter.rawEncoding()).isEqualTo("utf-8");
        assertThat(letter.rawTruncated()).isTrue();
        assertThat(record).startsWith(letter.raw());
        assertThat(letter.raw()).doesNotContain("\uFFFD");
        int kept = letter.raw().getBytes(StandardCharsets.UTF_8).length;
        // the longest prefix of whole characters that fits: nothing more, nothing less
        int whole = shift + (1024 - shift) / width * width;
        assertThat(kept).isEqualTo(whole);
    }

    @Test
    void keepsACompleteMultiByteCharacterThatEndsExactlyAtTheCut() {
        String record = "a".repeat(1020) + "😀" + "b".repeat(100); // the emoji is bytes 1020..1023

        DeadLetter letter = of(record.getBytes(StandardCharsets.UTF_8));

        assertThat(letter.raw()).isEqualTo("a".repeat(1020) + "😀");
    }

    @Test
    void handlesANullRecord() {
        DeadLetter letter = of(null);

        assertThat(letter.raw()).isEmpty();
        assertThat(letter.rawBytes()).isZero();
        assertThat(letter.rawTruncated()).isFalse();
    }

    @Test
    void wholeRecordProblemsHaveNoField() {
        DeadLetter letter = DeadLetter.of(new ValidationProblem(null, null, "empty record"), new byte[0],
                "file:/data/t.jsonl", 17, null, RECEIVED);

        assertThat(letter.field()).isNull();
        assertThat(letter.reason()).isEqualTo("empty record");
        assertThat(letter.eventTime()).isNull();
    }

    @Test
    void roundTripsThroughJson() {
        byte[] raw = ("{\"userId\":\"" + "🚀".repeat(400) + "\"}").getBytes(StandardCharsets.UTF_8);
        DeadLetter letter = of(raw);

        String json = Json.toString(letter);

        assertThat(Json.fromString(json, DeadLetter.class)).isEqualTo(letter);
        assertThat(json).contains("\"rawEncoding\":\"utf-8\"", "\"rawTruncated\":true", "\"offset\":1234",
                "\"eventTime\":\"2026-12-01T10:04:10.250Z\"");
    }

    @Test
    void carriesTheCodecsReasonForInvalidUtf8() {
        byte[] raw = {'{', '"', 't', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        Decoded decoded = new TelemetryCodec().decode(raw);

        DeadLetter letter = DeadLetter.of(decoded.problem(), raw, "graylight.telemetry-0", 9, null, RECEIVED);

        assertThat(letter.reason()).isEqualTo("not valid UTF-8: malformed byte sequence at byte offset 6");
        assertThat(letter.rawEncoding()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(letter.raw())).isEqualTo(raw);
    }
}
