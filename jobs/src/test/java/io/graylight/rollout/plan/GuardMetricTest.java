package io.graylight.rollout.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graylight.contracts.telemetry.Cohort;
import io.graylight.contracts.telemetry.RequestStatus;
import io.graylight.contracts.telemetry.TelemetryEvent;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GuardMetricTest {

    static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    static TelemetryEvent request(RequestStatus status, double latencyMs, Double ttftMs, Double costUsd, Double quality) {
        return TelemetryEvent.request("e1", T, "chat", Cohort.CANARY, "v2", "u1", Map.of(), status, latencyMs, ttftMs,
                120L, 300L, costUsd, quality);
    }

    static TelemetryEvent feedback(int score) {
        return TelemetryEvent.feedback("f1", T, "chat", Cohort.CANARY, "v2", "u1", Map.of(), "e1", score);
    }

    @Test
    void wireNamesAreTheContract() {
        assertThat(Arrays.stream(GuardMetric.values()).map(GuardMetric::wireName)).containsExactly(
                "error_rate", "timeout_rate", "rate_limited_rate", "refusal_rate", "latency_p50", "latency_p95",
                "latency_p99", "ttft_p50", "ttft_p95", "cost_per_request", "quality_score", "negative_feedback_rate");
        for (GuardMetric metric : GuardMetric.values()) {
            assertThat(GuardMetric.fromWire(metric.wireName())).contains(metric);
        }
        assertThat(GuardMetric.fromWire("ERROR_RATE")).isEmpty();
    }

    @Test
    void kindsQuantilesAndDirections() {
        assertThat(GuardMetric.ERROR_RATE.kind()).isEqualTo(GuardMetric.Kind.PROPORTION);
        assertThat(GuardMetric.NEGATIVE_FEEDBACK_RATE.kind()).isEqualTo(GuardMetric.Kind.PROPORTION);
        assertThat(GuardMetric.LATENCY_P99.kind()).isEqualTo(GuardMetric.Kind.QUANTILE);
        assertThat(GuardMetric.LATENCY_P50.quantile()).isEqualTo(0.50);
        assertThat(GuardMetric.LATENCY_P95.quantile()).isEqualTo(0.95);
        assertThat(GuardMetric.LATENCY_P99.quantile()).isEqualTo(0.99);
        assertThat(GuardMetric.TTFT_P95.quantile()).isEqualTo(0.95);
        assertThat(GuardMetric.QUALITY_SCORE.kind()).isEqualTo(GuardMetric.Kind.BOUNDED_MEAN);
        assertThat(GuardMetric.COST_PER_REQUEST.kind()).isEqualTo(GuardMetric.Kind.UNBOUNDED_MEAN);
        assertThatThrownBy(GuardMetric.ERROR_RATE::quantile).isInstanceOf(IllegalStateException.class);
        assertThat(Arrays.stream(GuardMetric.values()).filter(m -> !m.higherIsWorse()))
                .containsExactly(GuardMetric.QUALITY_SCORE);
        assertThat(GuardMetric.NEGATIVE_FEEDBACK_RATE.source()).isEqualTo(GuardMetric.Source.FEEDBACK);
    }

    @Test
    void statusRatesObserveEveryRequest() {
        TelemetryEvent error = request(RequestStatus.ERROR, 900, null, null, null);
        TelemetryEvent ok = request(RequestStatus.OK, 900, null, null, null);
        assertThat(GuardMetric.ERROR_RATE.observe(error)).hasValue(1.0);
        assertThat(GuardMetric.ERROR_RATE.observe(ok)).hasValue(0.0);
        assertThat(GuardMetric.TIMEOUT_RATE.observe(request(RequestStatus.TIMEOUT, 30_000, null, null, null))).hasValue(1.0);
        assertThat(GuardMetric.TIMEOUT_RATE.observe(error)).hasValue(0.0);
        assertThat(GuardMetric.RATE_LIMITED_RATE.observe(request(RequestStatus.RATE_LIMITED, 5, null, null, null))).hasValue(1.0);
        assertThat(GuardMetric.REFUSAL_RATE.observe(request(RequestStatus.FILTERED, 300, null, null, null))).hasValue(1.0);
        assertThat(GuardMetric.REFUSAL_RATE.observe(ok)).hasValue(0.0);
    }

    @Test
    void valuesComeFromTheirFieldsWhenPresent() {
        TelemetryEvent full = request(RequestStatus.OK, 812.5, 140.0, 0.0031, 0.82);
        TelemetryEvent bare = request(RequestStatus.ERROR, 40, null, null, null);
        for (GuardMetric latency : new GuardMetric[] {GuardMetric.LATENCY_P50, GuardMetric.LATENCY_P95, GuardMetric.LATENCY_P99}) {
            assertThat(latency.observe(full)).hasValue(812.5);
            assertThat(latency.observe(bare)).hasValue(40.0); // failed requests count too
        }
        assertThat(GuardMetric.TTFT_P50.observe(full)).hasValue(140.0);
        assertThat(GuardMetric.TTFT_P95.observe(bare)).isEmpty();
        assertThat(GuardMetric.COST_PER_REQUEST.observe(full)).hasValue(0.0031);
        assertThat(GuardMetric.COST_PER_REQUEST.observe(bare)).isEmpty();
        assertThat(GuardMetric.QUALITY_SCORE.observe(full)).hasValue(0.82);
        assertThat(GuardMetric.QUALITY_SCORE.observe(bare)).isEmpty();
    }

    @Test
    void negativeFeedbackComesFromFeedbackOnly() {
        assertThat(GuardMetric.NEGATIVE_FEEDBACK_RATE.observe(feedback(-1))).hasValue(1.0);
        assertThat(GuardMetric.NEGATIVE_FEEDBACK_RATE.observe(feedback(1))).hasValue(0.0);
        assertThat(GuardMetric.NEGATIVE_FEEDBACK_RATE.observe(request(RequestStatus.OK, 1, null, null, null))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = GuardMetric.class, names = "NEGATIVE_FEEDBACK_RATE", mode = EnumSource.Mode.EXCLUDE)
    void requestMetricsIgnoreFeedback(GuardMetric metric) {
        assertThat(metric.observe(feedback(-1))).isEqualTo(OptionalDouble.empty());
    }

    @Test
    void formatsForPeople() {
        assertThat(GuardMetric.ERROR_RATE.format(0.041)).isEqualTo("4.10%");
        assertThat(GuardMetric.LATENCY_P95.format(812.4)).isEqualTo("812 ms");
        assertThat(GuardMetric.COST_PER_REQUEST.format(0.0031)).isEqualTo("$0.00310");
        assertThat(GuardMetric.QUALITY_SCORE.format(0.8125)).isEqualTo("0.813");
        assertThat(GuardMetric.QUALITY_SCORE.format(Double.NaN)).isEqualTo("n/a");
    }

    @Test
    void guardLimitsFollowTheDirection() {
        Guard errors = Guard.absolute(GuardMetric.ERROR_RATE, 0.002);
        assertThat(errors.limit(0.010)).isCloseTo(0.012, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(errors.tolerates(0.010, 0.0119)).isTrue();
        assertThat(errors.tolerates(0.010, 0.013)).isFalse();

        Guard latency = Guard.relative(GuardMetric.LATENCY_P95, 0.10);
        assertThat(latency.limit(800)).isCloseTo(880, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(latency.tolerates(800, 870)).isTrue();
        assertThat(latency.tolerates(800, 900)).isFalse();
        assertThat(latency.tolerates(800, 100)).isTrue(); // better is always fine

        Guard quality = Guard.absolute(GuardMetric.QUALITY_SCORE, 0.02);
        assertThat(quality.limit(0.80)).isCloseTo(0.78, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(quality.tolerates(0.80, 0.79)).isTrue();
        assertThat(quality.tolerates(0.80, 0.75)).isFalse();
        assertThat(quality.tolerates(0.80, 0.95)).isTrue();
        assertThat(Guard.relative(GuardMetric.QUALITY_SCORE, 0.05).describe()).isEqualTo("quality_score -5%");
        assertThat(Guard.relative(GuardMetric.LATENCY_P99, 0.07).describe()).isEqualTo("latency_p99 +7%");
    }

    @Test
    void guardNeedsExactlyOneNonNegativeMargin() {
        assertThatThrownBy(() -> new Guard(GuardMetric.ERROR_RATE, 0.1, 0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Guard(GuardMetric.ERROR_RATE, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Guard.absolute(GuardMetric.ERROR_RATE, -0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Guard.relative(GuardMetric.ERROR_RATE, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
