package io.graylight.contracts.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.alert.AlertScope;
import io.graylight.contracts.alert.AlertSource;
import io.graylight.contracts.alert.Effect;
import io.graylight.contracts.alert.MatchedEvents;
import io.graylight.contracts.alert.Severity;
import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.decision.Evidence;
import io.graylight.contracts.decision.Strategy;
import io.graylight.contracts.json.Json;
import io.graylight.contracts.telemetry.TelemetryCodec;
import io.graylight.contracts.telemetry.TelemetrySamples;
import io.graylight.contracts.telemetry.TelemetrySamples.Case;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JSON Schemas handed to producers agree with the codec: what the codec accepts the schema
 * accepts, and what the codec refuses the schema refuses, except for the rules listed in
 * {@link #BEYOND_THE_SCHEMA}, which JSON Schema cannot express.
 */
class SchemaConformanceTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final JsonSchema TELEMETRY = schema("/schemas/telemetry-event.schema.json");
    private static final JsonSchema DECISION = schema("/schemas/decision-record.schema.json");
    private static final JsonSchema ALERT = schema("/schemas/alert.schema.json");

    /**
     * Invalid samples that the telemetry schema lets through, by name, and why. The test below also
     * checks that each of them really passes the schema, so this list cannot go stale.
     */
    private static final Set<String> BEYOND_THE_SCHEMA = Set.of(
            // compares two fields
            "ttft above latency",
            // Jackson reads 1e400 as a double, Infinity, which satisfies "minimum"; the codec wants finite numbers
            "latency beyond double range",
            // JSON Schema integers are unbounded; the codec stores token counts as 64-bit longs
            "outputTokens above 2^63-1",
            // in JSON Schema 180.0 is an integer (2020-12 §6.3: a number with a zero fractional part)
            "outputTokens as float with zero fraction",
            "score 1.0");

    private static JsonSchema schema(String resource) {
        try (InputStream in = SchemaConformanceTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return FACTORY.getSchema(MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<ValidationMessage> validate(JsonSchema schema, String json) {
        try {
            return schema.validate(MAPPER.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ telemetry

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.graylight.contracts.telemetry.TelemetrySamples#validEvents")
    void everyValidEventPassesTheSchema(Case sample) {
        assertThat(new TelemetryCodec().decode(sample.json()).isValid()).isTrue();
        assertThat(validate(TELEMETRY, sample.json())).isEmpty();
    }

    static Stream<Case> invalidWithinTheSchema() {
        return TelemetrySamples.invalidObjects().stream().filter(c -> !BEYOND_THE_SCHEMA.contains(c.name()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidWithinTheSchema")
    void everyEventTheCodecRefusesFailsTheSchema(Case sample) {
        assertThat(new TelemetryCodec().decode(sample.json()).isValid()).isFalse();
        assertThat(validate(TELEMETRY, sample.json())).isNotEmpty();
    }

    static Stream<Case> beyondTheSchema() {
        return TelemetrySamples.invalidObjects().stream().filter(c -> BEYOND_THE_SCHEMA.contains(c.name()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("beyondTheSchema")
    void rulesBeyondTheSchemaAreOnlyCaughtByTheCodec(Case sample) {
        assertThat(new TelemetryCodec().decode(sample.json()).problem().message()).isEqualTo(sample.reason());
        assertThat(validate(TELEMETRY, sample.json())).isEmpty();
    }

    @Test
    void everyNameInTheExceptionListIsASample() {
        assertThat(TelemetrySamples.invalidObjects().stream().map(Case::name)).containsAll(BEYOND_THE_SCHEMA);
    }

    @Test
    void theSchemasOwnExamplesPass() {
        for (JsonSchema schema : List.of(TELEMETRY, DECISION, ALERT)) {
            for (JsonNode example : schema.getSchemaNode().get("examples")) {
                assertThat(schema.validate(example)).as(example.toString()).isEmpty();
            }
        }
    }

    @Test
    void telemetrySchemaNamesTheFieldThatIsWrong() {
        Set<ValidationMessage> problems = validate(TELEMETRY,
                TelemetrySamples.edit(TelemetrySamples.REQUEST, o -> o.put("qualityScore", 1.5)));

        assertThat(problems).extracting(ValidationMessage::getMessage).singleElement().asString().contains("qualityScore");
    }

    // ------------------------------------------------------------------ decisions

    static List<DecisionRecord> decisions() {
        Instant at = Instant.parse("2026-12-01T10:04:10Z");
        Instant emitted = Instant.parse("2026-12-01T10:04:10.350Z");
        List<Evidence> evidence = List.of(new Evidence("error_rate", 0.010, 0.041, "e-value", 152.3, 100.0, 5400, 610));
        return List.of(
                new DecisionRecord("chat", 7, Action.ROLLBACK, 2, 0.0, at, emitted, Strategy.percentage(),
                        "error_rate: canary 4.1% vs baseline 1.0% (e-value 152 >= 100)", evidence),
                new DecisionRecord("chat", 0, Action.START, 0, 1.0, at, emitted,
                        new Strategy("segment").with("attribute", "region").with("order", List.of("eu-west", "us-east")),
                        "rollout started", List.of()),
                new DecisionRecord("chat", 3, Action.PROMOTE, 3, 50.0, at, emitted,
                        new Strategy("smart").with("model", "targeting").with("minScore", 0.6), "safe to promote", evidence),
                new DecisionRecord("chat", 9, Action.COMPLETE, 4, 100.0, at, emitted,
                        new Strategy("schedule").with("windows", List.of("Mon-Fri 02:00-06:00 UTC")), null, null));
    }

    @ParameterizedTest
    @MethodSource("decisions")
    void decisionRecordsPassTheirSchema(DecisionRecord decision) {
        assertThat(validate(DECISION, Json.toString(decision))).isEmpty();
    }

    static List<Case> badDecisions() {
        String good = Json.toString(decisions().get(0));
        return List.of(
                bad("unknown action", good, o -> o.put("action", "ABORT")),
                bad("negative seq", good, o -> o.put("seq", -1)),
                bad("fractional seq", good, o -> o.put("seq", 1.5)),
                bad("canaryPercent above 100", good, o -> o.put("canaryPercent", 100.5)),
                bad("negative canaryPercent", good, o -> o.put("canaryPercent", -1)),
                bad("no strategy", good, o -> o.remove("strategy")),
                bad("strategy without type", good, o -> o.putObject("strategy").put("attribute", "region")),
                bad("unknown strategy type", good, o -> o.putObject("strategy").put("type", "random")),
                bad("no release", good, o -> o.remove("release")),
                bad("eventTime not a date-time", good, o -> o.put("eventTime", "yesterday")),
                bad("evidence without metric", good, o -> ((ObjectNode) o.get("evidence").get(0)).remove("metric")),
                bad("negative sample count", good, o -> ((ObjectNode) o.get("evidence").get(0)).put("samplesCanary", -1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDecisions")
    void brokenDecisionRecordsFailTheirSchema(Case sample) {
        assertThat(validate(DECISION, sample.json())).isNotEmpty();
    }

    // ------------------------------------------------------------------ alerts

    static List<Alert> alerts() {
        Instant at = Instant.parse("2026-12-01T10:04:10Z");
        MatchedEvents matched = new MatchedEvents(8, at.minusSeconds(21), at, List.of("e-101", "e-107"),
                Map.of("errors", 8.0, "threshold", 5.0));
        return List.of(
                new Alert("a-1", AlertSource.CEP, "canary-error-burst", Severity.CRITICAL, Effect.ROLLBACK, false,
                        "chat", AlertScope.CANARY, at, at.plusMillis(120), null, "8 errors within 30s", matched, null),
                new Alert("a-2", AlertSource.ANOMALY, "anomaly@v1", Severity.WARNING, Effect.HOLD, false,
                        "chat", AlertScope.BOTH, at, at, at.plusSeconds(300), "both cohorts anomalous", null, 0.71));
    }

    @ParameterizedTest
    @MethodSource("alerts")
    void alertsPassTheirSchemaAndRoundTrip(Alert alert) {
        String json = Json.toString(alert);
        assertThat(validate(ALERT, json)).isEmpty();
        assertThat(Json.fromString(json, Alert.class)).isEqualTo(alert);
    }

    @Test
    void alertEnumsAreWrittenInLowerCase() {
        assertThat(Json.toString(alerts().get(0)))
                .contains("\"severity\":\"critical\"", "\"effect\":\"rollback\"", "\"scope\":\"canary\"", "\"source\":\"cep\"");
    }

    static List<Case> badAlerts() {
        String good = Json.toString(alerts().get(0));
        return List.of(
                bad("unknown severity", good, o -> o.put("severity", "fatal")),
                bad("unknown effect", good, o -> o.put("effect", "page")),
                bad("unknown scope", good, o -> o.put("scope", "all")),
                bad("no release", good, o -> o.remove("release")),
                bad("dryRun as string", good, o -> o.put("dryRun", "no")),
                bad("matched count negative", good, o -> ((ObjectNode) o.get("matched")).put("count", -1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAlerts")
    void brokenAlertsFailTheirSchema(Case sample) {
        assertThat(validate(ALERT, sample.json())).isNotEmpty();
    }

    private static Case bad(String name, String json, Consumer<ObjectNode> change) {
        return new Case(name, TelemetrySamples.edit(json, change), null, null);
    }
}
