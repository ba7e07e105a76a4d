package io.graylight.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.alert.AlertScope;
import io.graylight.contracts.alert.AlertSource;
import io.graylight.contracts.alert.Effect;
import io.graylight.contracts.metrics.CohortMetrics;
import io.graylight.ml.anomaly.AnomalyDetector;
import io.graylight.ml.anomaly.AnomalyTrainer;
import io.graylight.ml.store.ModelStore;
import io.graylight.simulator.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import io.graylight.models.ModelUpdate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scoring operator in a harness: pairing, scope of the alerts, live model switch and state clean-up. */
class AnomalyScorerTest {

    static final Duration ONSET = Duration.ofMinutes(6);

    @TempDir
    static Path root;
    static Path v1;
    AnomalyScorer scorer;
    static AnomalyModelTraining training = new AnomalyModelTraining(6, Duration.ofMinutes(20), new AnomalyTrainer(50, 256, 0.998, 0.9999));

    @BeforeAll
    static void train() throws Exception {
        List<double[]> rows = training.normalVectors(3, null);
        AnomalyDetector detector = training.trainer().train(rows, 3, null);
        v1 = ModelStore.write(root, training.metadata("v1", 3, rows, detector, null), detector);
    }

    private KeyedBroadcastOperatorTestHarness<String, CohortMetrics, ModelUpdate, Alert> harness(Effect canaryEffect) throws Exception {
        scorer = new AnomalyScorer(v1.toString(), new AnomalyAlerts(canaryEffect, Duration.ofMinutes(2), true),
                Duration.ofSeconds(30), Duration.ofMinutes(30));
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(scorer, CohortMetrics::release,
                org.apache.flink.api.common.typeinfo.Types.STRING, AnomalyScorer.MODEL_STATE);
    }

    private static List<Alert> run(KeyedBroadcastOperatorTestHarness<String, CohortMetrics, ModelUpdate, Alert> harness, String fault)
            throws Exception {
        List<WindowPair> pairs = AnomalyTrainingData.windows(
                AnomalyTrainingData.config(77, 25, Duration.ofMinutes(10), Fault.parse(fault)), AnomalyTrainingData.WINDOW);
        for (WindowPair pair : pairs) {
            // Cohorts arrive in either order; the scorer pairs them by window end.
            long time = pair.canary().windowEnd().toEpochMilli() - 1;
            harness.processElement(pair.baseline(), time);
            harness.processElement(pair.canary(), time);
        }
        return harness.extractOutputValues();
    }

    @Test
    void aBothCohortIncidentIsAnIncidentAlertNotACanaryOne() throws Exception {
        try (var harness = harness(Effect.ROLLBACK)) {
            List<Alert> alerts = run(harness, "latency=2@6m:both");
            List<Alert> afterOnset = alerts.stream()
                    .filter(a -> a.eventTime().isAfter(AnomalyTrainingData.config(0, 5, Duration.ofMinutes(1), null).start().plus(ONSET)))
                    .toList();
            assertThat(afterOnset).extracting(Alert::scope).contains(AlertScope.BOTH).doesNotContain(AlertScope.CANARY);
            assertThat(afterOnset).allSatisfy(a -> {
                assertThat(a.effect()).isEqualTo(Effect.HOLD);
                assertThat(a.demandsRollback()).isFalse();
                assertThat(a.source()).isEqualTo(AlertSource.ANOMALY);
                assertThat(a.rule()).isEqualTo("anomaly@v1");
                assertThat(a.holdUntil()).isEqualTo(a.eventTime().plus(Duration.ofMinutes(2)));
            });
        }
    }

    @Test
    void aCanaryRegressionIsACanaryAlertWithTheConfiguredEffect() throws Exception {
        try (var harness = harness(Effect.ROLLBACK)) {
            List<Alert> alerts = run(harness, "latency=2@6m");
            assertThat(alerts).filteredOn(a -> a.scope() == AlertScope.CANARY).isNotEmpty()
                    .allSatisfy(a -> {
                        assertThat(a.effect()).isEqualTo(Effect.ROLLBACK);
                        assertThat(a.score()).isNotNull();
                        assertThat(a.matched().values()).containsKey("contrastScore");
                    });
            assertThat(alerts).extracting(Alert::scope).doesNotContain(AlertScope.BOTH);
        }
    }

    @Test
    void aBadModelUpdateIsRefusedAndTheOldModelKeepsScoringThenAGoodOneSwitches() throws Exception {
        Path tampered = Files.createDirectories(root.resolve("anomaly/v2-bad"));
        for (String file : List.of(ModelStore.MODEL_FILE, ModelStore.CHECKSUM_FILE, ModelStore.METADATA_FILE)) {
            Files.copy(v1.resolve(file), tampered.resolve(file));
        }
        byte[] bytes = Files.readAllBytes(tampered.resolve(ModelStore.MODEL_FILE));
        bytes[bytes.length - 10] ^= 0x7f;
        Files.write(tampered.resolve(ModelStore.MODEL_FILE), bytes);
        try (var harness = harness(Effect.HOLD)) {
            harness.processBroadcastElement(new ModelUpdate("anomaly", "v2", tampered.toString()), 0);
            assertThat(scorer.current().id()).isEqualTo("anomaly@v1");
            List<Alert> alerts = run(harness, "latency=2@6m");
            assertThat(alerts).isNotEmpty().allSatisfy(a -> assertThat(a.rule()).isEqualTo("anomaly@v1"));

            List<double[]> rows = training.normalVectors(4, null);
            AnomalyDetector detector = training.trainer().train(rows, 4, null);
            Path v2 = ModelStore.write(root, training.metadata("v2", 4, rows, detector, null), detector);
            harness.processBroadcastElement(new ModelUpdate("anomaly", "v2", v2.toString()), 0);
            assertThat(scorer.current().id()).isEqualTo("anomaly@v2");
        }
    }

    private static int stateEntries(KeyedBroadcastOperatorTestHarness<String, CohortMetrics, ModelUpdate, Alert> harness) {
        return ((org.apache.flink.runtime.state.heap.HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend())
                .numKeyValueStateEntries();
    }

    @Test
    void stateIsClearedWhenAReleaseFallsIdle() throws Exception {
        try (var harness = harness(Effect.HOLD)) {
            List<WindowPair> pairs = AnomalyTrainingData.windows(
                    AnomalyTrainingData.config(5, 10, Duration.ofMinutes(2), null), AnomalyTrainingData.WINDOW);
            for (WindowPair pair : pairs) {
                harness.processElement(pair.canary(), pair.canary().windowEnd().toEpochMilli() - 1);
                harness.processElement(pair.baseline(), pair.canary().windowEnd().toEpochMilli() - 1);
            }
            // An unpaired canary window: its partner never comes.
            CohortMetrics last = pairs.get(pairs.size() - 1).canary();
            harness.processElement(new CohortMetrics(last.release(), last.cohort(), last.windowEnd(), last.windowEnd().plusSeconds(10),
                    last.requests(), last.ok(), last.errors(), last.timeouts(), last.rateLimited(), last.filtered(), last.errorRate(),
                    last.timeoutRate(), last.rateLimitedRate(), last.filteredRate(), last.latencyP50(), last.latencyP90(),
                    last.latencyP95(), last.latencyP99(), last.ttftSamples(), last.ttftP50(), last.ttftP95(), last.inputTokens(),
                    last.outputTokens(), last.costUsd(), last.costPerRequest(), last.qualitySamples(), last.qualityMean(),
                    last.feedbackUp(), last.feedbackDown(), last.negativeFeedbackRate()), last.windowEnd().toEpochMilli());
            assertThat(stateEntries(harness)).isGreaterThan(0);
            long later = last.windowEnd().plus(Duration.ofHours(2)).toEpochMilli();
            harness.processBroadcastWatermark(new Watermark(later)); // the idle model input must not hold time back
            harness.processWatermark(new Watermark(later));
            assertThat(stateEntries(harness)).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }
}
