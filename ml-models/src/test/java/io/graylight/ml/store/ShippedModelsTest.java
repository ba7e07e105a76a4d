package io.graylight.ml.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.ml.anomaly.AnomalyDetector;
import io.graylight.ml.anomaly.AnomalyFeatures;
import io.graylight.ml.targeting.PastRollouts;
import io.graylight.ml.targeting.TargetingModel;
import io.graylight.ml.targeting.UserFeatures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed models (this module's {@code anomaly/v1}, {@code anomaly/v2} and {@code targeting/v1}) pass verification and fit the code. */
class ShippedModelsTest {

    /** v1 predates standardized forest inputs (its serialized form lacks the flag and scores as trained); v2 has them. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"v1", "v2"})
    void theShippedAnomalyModelsLoadAndMatchTheFeatureCode(String version) throws Exception {
        LoadedModel<AnomalyDetector> loaded = ModelLoader.load(Path.of("anomaly", version), AnomalyDetector.class);
        assertThat(loaded.metadata().features()).isEqualTo(AnomalyFeatures.NAMES);
        assertThat(loaded.metadata().smileVersion()).isEqualTo(ModelMetadata.SMILE_VERSION);
        assertThat(loaded.sizeBytes()).isLessThan(8L << 20);
        double[] normal = new double[AnomalyFeatures.SIZE];
        double[] regressed = normal.clone();
        // A canary latency regression: every latency statistic of the canary far above the baseline and its history.
        for (String metric : java.util.List.of("latency_p50", "latency_p90", "latency_p95", "ttft_p95")) {
            regressed[AnomalyFeatures.CONTRAST + AnomalyFeatures.METRICS.indexOf(metric)] = 20;
            regressed[AnomalyFeatures.CANARY + AnomalyFeatures.METRICS.indexOf(metric)] = 20;
        }
        assertThat(loaded.model().score(normal).anomalous()).isFalse();
        assertThat(loaded.model().score(regressed).scope()).as(loaded.model().score(regressed).toString())
                .isEqualTo(io.graylight.contracts.alert.AlertScope.CANARY);
    }

    @Test
    void theShippedTargetingModelLoadsAndScoresProbabilities() throws Exception {
        LoadedModel<TargetingModel> loaded = ModelLoader.load(Path.of("targeting", "v1"), TargetingModel.class);
        assertThat(loaded.metadata().features()).isEqualTo(UserFeatures.NAMES);
        for (double[] x : PastRollouts.generate(3, 200).x()) {
            assertThat(loaded.model().score(x)).isBetween(0.0, 1.0);
        }
    }
}
