package io.graylight.contracts.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Encoding, and encode → decode round trips. */
class TelemetryEncodeTest {

    private static final Instant T = Instant.parse("2026-12-01T10:04:10.250Z");

    private final TelemetryCodec codec = new TelemetryCodec();

    static List<TelemetryEvent> events() {
        return List.of(
                TelemetryEvent.request("evt-1", T, "chat", Cohort.CANARY, "v2", "user-42",
                        Map.of("region", "eu-west", "tier", "pro"), RequestStatus.OK,
                        812.5, 143.0, 420L, 180L, 0.0031, 0.92),
                TelemetryEvent.request("evt-2", T, "chat", Cohort.BASELINE, null, "user-7",
                        null, RequestStatus.TIMEOUT, 30_000, null, null, null, null, null),
                TelemetryEvent.request("evt-3", T, "chat", Cohort.BASELINE, "v1", "u", Map.of(),
                        RequestStatus.RATE_LIMITED, 0, 0.0, 0L, 0L, 0.0, 0.0),
                TelemetryEvent.request("evt-4", Instant.parse("2026-12-01T10:04:10.123456789Z"), "chat",
                        Cohort.CANARY, null, "u", null, RequestStatus.FILTERED, 1e-3, null, Long.MAX_VALUE, null,
                        1e6, 1.0),
                TelemetryEvent.request("évt-5 🚀", T, "чат", Cohort.CANARY, "v2 β", "用户-42 🙂",
                        Map.of("région", "Île-de-France", "mood", "🙂", "quote", "say \"hi\"\n"),
                        RequestStatus.ERROR, 12.25, 3.5, 1L, 2L, null, null),
                TelemetryEvent.feedback("fb-1", T, "chat", Cohort.CANARY, "v2", "user-42",
                        Map.of("region", "eu-west"), "evt-1", -1),
                TelemetryEvent.feedback("fb-2", T, "chat", Cohort.BASELINE, null, "user-7", null, "evt-2", 1));
    }

    @ParameterizedTest
    @MethodSource("events")
    void roundTrips(TelemetryEvent event) {
        byte[] json = codec.encode(event);

        Decoded decoded = codec.decode(json);

        assertThat(decoded.problem()).isNull();
        assertThat(decoded.event()).isEqualTo(event);
        assertThat(codec.decode(codec.encodeToString(event)).event()).isEqualTo(event);
    }

    @ParameterizedTest
    @MethodSource("events")
    void writesOneLine(TelemetryEvent event) {
        assertThat(codec.encodeToString(event)).doesNotContain("\n").startsWith("{").endsWith("}");
    }

    @Test
    void writesContractOrderAndLeavesAbsentFieldsOut() {
        TelemetryEvent minimal = TelemetryEvent.request("evt-2", T, "chat", Cohort.BASELINE, null, "user-7",
                null, RequestStatus.TIMEOUT, 30_000, null, null, null, null, null);

        assertThat(codec.encodeToString(minimal)).isEqualTo(
                "{\"type\":\"request\",\"eventId\":\"evt-2\",\"timestamp\":\"2026-12-01T10:04:10.250Z\","
                        + "\"release\":\"chat\",\"cohort\":\"baseline\",\"userId\":\"user-7\",\"status\":\"timeout\","
                        + "\"latencyMs\":30000.0}");
    }

    @Test
    void writesFeedbackWithoutRequestFields() {
        TelemetryEvent feedback = TelemetryEvent.feedback("fb-1", Instant.parse("2026-12-01T10:04:31Z"), "chat",
                Cohort.CANARY, "v2", "user-42", Map.of("region", "eu-west"), "evt-1", -1);

        assertThat(codec.encodeToString(feedback)).isEqualTo(
                "{\"type\":\"feedback\",\"eventId\":\"fb-1\",\"timestamp\":\"2026-12-01T10:04:31Z\","
                        + "\"release\":\"chat\",\"cohort\":\"canary\",\"version\":\"v2\",\"userId\":\"user-42\","
                        + "\"segment\":{\"region\":\"eu-west\"},\"requestId\":\"evt-1\",\"score\":-1}");
    }

    @Test
    void writesUnicodeAsUtf8() {
        TelemetryEvent event = TelemetryEvent.feedback("fb-1", T, "chat", Cohort.CANARY, null, "用户 🚀",
                Map.of("mood", "🙂"), "evt-1", 1);

        String json = new String(codec.encode(event), StandardCharsets.UTF_8);

        // Jackson 2.13 writes characters outside the BMP as escaped surrogate pairs (valid JSON; 2.18
        // can combine them); everything else goes out as plain UTF-8
        assertThat(json).contains("\"userId\":\"用户 \\uD83D\\uDE80\"", "\"mood\":\"\\uD83D\\uDE42\"");
        assertThat(codec.decode(json).event().userId()).isEqualTo("用户 🚀");
    }

    @Test
    void decodedSegmentIsAMutableHashMap() {
        TelemetryEvent event = codec.decode(TelemetrySamples.REQUEST).event();

        assertThat(event.segment()).isInstanceOf(HashMap.class);
        event.segment().put("extra", "x"); // Flink's Kryo copy needs a mutable map
        assertThat(codec.decode(TelemetrySamples.MINIMAL_REQUEST).event().segment()).isInstanceOf(HashMap.class).isEmpty();
    }
}
