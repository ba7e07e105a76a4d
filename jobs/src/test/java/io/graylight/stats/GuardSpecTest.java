package io.graylight.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GuardSpecTest {

    @Test
    void planMetricsMapToTheirKinds() {
        assertThat(GuardSpec.forPlanMetric("error_rate", 0.002, null))
                .isEqualTo(GuardSpec.proportion("error_rate", Margin.absolute(0.002)));
        assertThat(GuardSpec.forPlanMetric("negative_feedback_rate", 0.02, null).kind())
                .isEqualTo(MetricKind.PROPORTION);
        GuardSpec p95 = GuardSpec.forPlanMetric("latency_p95", null, 0.10);
        assertThat(p95.kind()).isEqualTo(MetricKind.QUANTILE);
        assertThat(p95.quantile()).isEqualTo(0.95);
        assertThat(p95.margin()).isEqualTo(Margin.relative(0.10));
        assertThat(GuardSpec.forPlanMetric("ttft_p999", null, 0.2).quantile()).isEqualTo(0.999);
        assertThat(GuardSpec.forPlanMetric("time_to_first_token_p50", null, 0.2).quantile()).isEqualTo(0.5);
        GuardSpec quality = GuardSpec.forPlanMetric("quality_score", 0.02, null);
        assertThat(quality.kind()).isEqualTo(MetricKind.BOUNDED_MEAN);
        assertThat(quality.direction()).isEqualTo(Direction.LOWER_IS_WORSE);
        assertThat(GuardSpec.forPlanMetric("cost_per_request", null, 0.1).kind()).isEqualTo(MetricKind.UNBOUNDED_MEAN);
    }

    @Test
    void unknownMetricsAndAmbiguousMarginsAreRefused() {
        assertThatThrownBy(() -> GuardSpec.forPlanMetric("vibes", 0.1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown guard metric 'vibes'");
        assertThatThrownBy(() -> GuardSpec.forPlanMetric("latency_p100", null, 0.1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GuardSpec.forPlanMetric("error_rate", 0.1, 0.1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GuardSpec.forPlanMetric("error_rate", null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GuardSpec.forPlanMetric("error_rate", -0.1, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void worseningFollowsDirectionAndMarginScale() {
        assertThat(GuardSpec.proportion("e", Margin.absolute(0.002)).worsening(0.01, 0.013))
                .isCloseTo(0.003, org.assertj.core.api.Assertions.within(1e-15));
        assertThat(GuardSpec.quantile("l", 0.95, Margin.relative(0.1)).worsening(1000, 1200))
                .isCloseTo(0.2, org.assertj.core.api.Assertions.within(1e-15));
        assertThat(GuardSpec.boundedMean("q", Direction.LOWER_IS_WORSE, Margin.absolute(0.02)).worsening(0.8, 0.75))
                .isCloseTo(0.05, org.assertj.core.api.Assertions.within(1e-15));
        assertThat(GuardSpec.boundedMean("q", Direction.LOWER_IS_WORSE, Margin.relative(0.1)).worsening(0.8, 0.6))
                .isCloseTo(0.25, org.assertj.core.api.Assertions.within(1e-15));
        assertThat(GuardSpec.quantile("l", 0.95, Margin.relative(0.1)).worsening(0, 5)).isInfinite();
    }
}
