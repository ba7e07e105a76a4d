package io.graylight.contracts.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.decision.Evidence;
import io.graylight.contracts.decision.Strategy;
import io.graylight.contracts.metrics.CohortMetrics;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JsonRoundTripTest {

    /** The decision record of DESIGN.md, verbatim. */
    static final String DESIGN_EXAMPLE = """
            {"release":"chat","seq":7,"action":"ROLLBACK","stage":2,"canaryPercent":0.0,
             "eventTime":"2026-12-01T10:04:10Z","emittedAt":"2026-12-01T10:04:10.350Z",
             "strategy":{"type":"percentage"},
             "reason":"error_rate: canary 4.1% vs baseline 1.0% (e-value 152 >= 100)",
             "evidence":[{"metric":"error_rate","baseline":0.010,"canary":0.041,
                          "statistic":"e-value","value":152.3,"threshold":100.0,
                          "samplesBaseline":5400,"samplesCanary":610}]}""";

    static DecisionRecord decision(Strategy strategy, Action action) {
        return new DecisionRecord("chat", 7, action, 2, 25.0,
                Instant.parse("2026-12-01T10:04:10Z"), Instant.parse("2026-12-01T10:04:10.350Z"), strategy,
                "error_rate: canary 4.1% vs baseline 1.0% (e-value 152 >= 100)",
                List.of(new Evidence("error_rate", 0.010, 0.041, "e-value", 152.3, 100.0, 5400, 610),
                        new Evidence("latency_p95", 812.0, 905.5, "upper-confidence-bound", 0.08, 0.10, 5400, 610)));
    }

    static List<DecisionRecord> decisions() {
        return List.of(
                decision(Strategy.percentage(), Action.ROLLBACK),
                decision(new Strategy("segment").with("attribute", "region").with("order", List.of("eu-west", "us-east", "ap-south")),
                        Action.PROMOTE),
                decision(new Strategy("schedule").with("windows", List.of("Mon-Fri 02:00-06:00 UTC")), Action.HOLD),
                decision(new Strategy("priority").with("attribute", "tier").with("order", List.of("internal", "free", "pro", "enterprise")),
                        Action.COMPLETE),
                decision(new Strategy("smart").with("model", "targeting").with("minScore", 0.6)
                        .with("nested", Map.of("k", List.of(1, 2))), Action.START),
                new DecisionRecord("чат 🚀", 0, Action.PAUSE, 0, 0.0, Instant.parse("2026-12-01T10:00:00Z"),
                        Instant.parse("2026-12-01T10:00:00.000000001Z"), Strategy.percentage(), null, List.of()));
    }

    @ParameterizedTest
    @MethodSource("decisions")
    void decisionRecordRoundTrips(DecisionRecord decision) {
        assertThat(Json.fromString(Json.toString(decision), DecisionRecord.class)).isEqualTo(decision);
        assertThat(Json.fromBytes(Json.toBytes(decision), DecisionRecord.class)).isEqualTo(decision);
    }

    @Test
    void strategyParametersAreWrittenFlatBesideTheType() {
        DecisionRecord decision = decision(new Strategy("smart").with("model", "targeting").with("minScore", 0.6), Action.PROMOTE);

        String json = Json.toString(decision);

        assertThat(json).contains("\"strategy\":{\"type\":\"smart\",\"model\":\"targeting\",\"minScore\":0.6}");
        assertThat(json).contains("\"eventTime\":\"2026-12-01T10:04:10Z\"", "\"emittedAt\":\"2026-12-01T10:04:10.350Z\"");
        assertThat(json).contains("\"action\":\"PROMOTE\"");
    }

    @Test
    void readsTheDesignExample() {
        DecisionRecord read = Json.fromString(DESIGN_EXAMPLE, DecisionRecord.class);

        assertThat(read).isEqualTo(new DecisionRecord("chat", 7, Action.ROLLBACK, 2, 0.0,
                Instant.parse("2026-12-01T10:04:10Z"), Instant.parse("2026-12-01T10:04:10.350Z"),
                Strategy.percentage(), "error_rate: canary 4.1% vs baseline 1.0% (e-value 152 >= 100)",
                List.of(new Evidence("error_rate", 0.010, 0.041, "e-value", 152.3, 100.0, 5400, 610))));
        assertThat(read.strategy().parameters()).isEmpty();
    }

    @Test
    void readsADecisionWithUnknownFieldsAndLeavesAbsentReasonOut() {
        String json = DESIGN_EXAMPLE.replace("\"seq\":7,", "\"seq\":7,\"producer\":\"jobs-1.2\",");

        assertThat(Json.fromString(json, DecisionRecord.class).seq()).isEqualTo(7);
        DecisionRecord noReason = decisions().get(5);
        assertThat(Json.toString(noReason)).doesNotContain("reason").contains("\"evidence\":[]");
    }

    @Test
    void strategyWithoutTypeIsRefused() {
        String json = DESIGN_EXAMPLE.replace("{\"type\":\"percentage\"}", "{\"attribute\":\"region\"}");

        assertThatThrownBy(() -> Json.fromString(json, DecisionRecord.class))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("cannot read DecisionRecord from JSON");
    }

    static CohortMetrics metrics(Double p50, Long ttftSamples) {
        return new CohortMetrics("chat", "canary",
                Instant.parse("2026-12-01T10:04:00Z"), Instant.parse("2026-12-01T10:05:00Z"),
                610, 580, 25, 3, 1, 1, 25 / 610.0, 3 / 610.0, 1 / 610.0, 1 / 610.0,
                p50, p50 == null ? null : 1210.0, p50 == null ? null : 1502.5, p50 == null ? null : 2900.0,
                ttftSamples, p50 == null ? null : 140.0, p50 == null ? null : 410.0,
                256_200, 109_800, 1.891, p50 == null ? null : 1.891 / 610,
                300, p50 == null ? null : 0.87, 40, 12, 12 / 52.0);
    }

    @Test
    void cohortMetricsRoundTrip() {
        CohortMetrics full = metrics(812.5, 600L);

        String json = Json.toString(full);

        assertThat(Json.fromString(json, CohortMetrics.class)).isEqualTo(full);
        assertThat(json).contains("\"windowStart\":\"2026-12-01T10:04:00Z\"", "\"latencyP95\":1502.5", "\"cohort\":\"canary\"");
        assertThat(full.events()).isEqualTo(610 + 40 + 12);
        assertThat(json).doesNotContain("\"events\"");
    }

    @Test
    void cohortMetricsWithoutSamplesLeaveThePercentilesOut() {
        CohortMetrics empty = metrics(null, 0L);

        String json = Json.toString(empty);

        assertThat(Json.fromBytes(json.getBytes(StandardCharsets.UTF_8), CohortMetrics.class)).isEqualTo(empty);
        assertThat(json).doesNotContain("latencyP50", "ttftP95", "qualityMean", "costPerRequest")
                .contains("\"ttftSamples\":0");
    }
}
