package io.graylight.targeting;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.contracts.targeting.TargetingScore;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.ml.store.ModelMetadata;
import io.graylight.ml.store.ModelStore;
import io.graylight.ml.targeting.PastRollouts;
import io.graylight.ml.targeting.TargetingModel;
import io.graylight.ml.targeting.TargetingTrainer;
import io.graylight.ml.targeting.UserFeatures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import io.graylight.models.ModelUpdate;
import java.nio.file.Files;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-user scoring operator: features in keyed state, upserts only on meaningful change, state
 * dropped after the TTL, and a live model switch that re-scores every scored user while a tampered
 * version is refused.
 */
class UserScorerTest {

    @TempDir
    static Path root;
    static Path modelDir;
    static TargetingModel model;

    @BeforeAll
    static void train() throws Exception {
        PastRollouts.Dataset data = PastRollouts.generate(5, 1_500);
        model = new TargetingTrainer(2, 20).fit("gradient-boosting", data.x(), data.y(), 5);
        modelDir = ModelStore.write(root, new ModelMetadata("targeting", "v1", "gradient-boosting", TargetingModel.class.getName(),
                ModelStore.MODEL_FILE, UserFeatures.NAMES, 0.5, 5, "test", "none", 1_500, Map.of(), ModelMetadata.SMILE_VERSION, "test"),
                model);
    }

    private static KeyedBroadcastOperatorTestHarness<String, TelemetryEvent, ModelUpdate, TargetingScore> harness(double minChange)
            throws Exception {
        UserScorer scorer = new UserScorer(new UserScorer.Settings(modelDir.toString(), 5, minChange, Duration.ofDays(7)));
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(scorer, TelemetryEvent::userId, Types.STRING,
                UserScorer.MODEL_STATE);
    }

    private static int stateEntries(KeyedBroadcastOperatorTestHarness<String, TelemetryEvent, ModelUpdate, TargetingScore> harness) {
        return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }

    @Test
    void emitsOnMeaningfulChangesOnlyAndScoresLikeTheModel() throws Exception {
        List<PastRollouts.User> users = PastRollouts.population(9, 40);
        try (var harness = harness(0.05)) {
            int events = 0;
            for (PastRollouts.User user : users) {
                for (TelemetryEvent event : PastRollouts.observe(user, 9)) {
                    harness.processElement(event, event.timestampMillis());
                    events++;
                }
            }
            List<TargetingScore> scores = harness.extractOutputValues();
            assertThat(scores).isNotEmpty().hasSizeLessThan(events / 3);
            for (PastRollouts.User user : users) {
                List<TargetingScore> mine = scores.stream().filter(s -> s.userId().equals(user.id())).toList();
                for (int i = 1; i < mine.size(); i++) {
                    assertThat(Math.abs(mine.get(i).score() - mine.get(i - 1).score())).isGreaterThanOrEqualTo(0.05);
                }
                UserFeatures features = PastRollouts.features(user, 9);
                if (features.requests >= 5) {
                    assertThat(mine).isNotEmpty();
                    // The last upsert is within minChange of the model's score on all the user's telemetry.
                    assertThat(mine.get(mine.size() - 1).score()).isCloseTo(model.score(features.vector()),
                            org.assertj.core.data.Offset.offset(0.05));
                    assertThat(mine).allSatisfy(s -> assertThat(s.version()).isEqualTo("v1"));
                } else {
                    assertThat(mine).isEmpty();
                }
            }
        }
    }

    @Test
    void stateIsDroppedAfterTheTtl() throws Exception {
        try (var harness = harness(0.05)) {
            for (TelemetryEvent event : PastRollouts.observe(PastRollouts.population(3, 1).get(0), 3)) {
                harness.processElement(event, event.timestampMillis());
            }
            assertThat(stateEntries(harness)).isGreaterThan(0);
            long later = PastRollouts.OBSERVATION_START.plus(Duration.ofDays(30)).toEpochMilli();
            harness.processBroadcastWatermark(new Watermark(later)); // the idle model input must not hold time back
            harness.processWatermark(new Watermark(later));
            assertThat(stateEntries(harness)).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aTamperedVersionIsRefusedAndANewOneReScoresEveryScoredUser() throws Exception {
        PastRollouts.Dataset data = PastRollouts.generate(6, 1_500);
        TargetingModel v2Model = new TargetingTrainer(2, 20).fit("logistic-regression", data.x(), data.y(), 6);
        Path v2 = ModelStore.write(root, new ModelMetadata("targeting", "v2", "logistic-regression", TargetingModel.class.getName(),
                ModelStore.MODEL_FILE, UserFeatures.NAMES, 0.5, 6, "test", "none", 1_500, Map.of(), ModelMetadata.SMILE_VERSION, "test"),
                v2Model);
        Path tampered = Files.createDirectories(root.resolve("targeting/v3"));
        for (String file : List.of(ModelStore.MODEL_FILE, ModelStore.CHECKSUM_FILE, ModelStore.METADATA_FILE)) {
            Files.copy(v2.resolve(file), tampered.resolve(file));
        }
        byte[] bytes = Files.readAllBytes(tampered.resolve(ModelStore.MODEL_FILE));
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(tampered.resolve(ModelStore.MODEL_FILE), bytes);

        List<PastRollouts.User> users = PastRollouts.population(11, 30);
        try (var harness = harness(0.05)) {
            for (PastRollouts.User user : users) {
                for (TelemetryEvent event : PastRollouts.observe(user, 11)) {
                    harness.processElement(event, event.timestampMillis());
                }
            }
            int before = harness.extractOutputValues().size();
            List<String> scored = harness.extractOutputValues().stream().map(TargetingScore::userId).distinct().toList();
            assertThat(scored).isNotEmpty();

            harness.processBroadcastElement(new ModelUpdate("targeting", "v3", tampered.toString()), 0);
            harness.processBroadcastElement(new ModelUpdate("anomaly", "v9", v2.toString()), 0); // another model's update
            assertThat(harness.extractOutputValues()).hasSize(before);

            harness.processBroadcastElement(new ModelUpdate("targeting", "v2", v2.toString()), 0);
            List<TargetingScore> rescored = harness.extractOutputValues().subList(before, harness.extractOutputValues().size());
            assertThat(rescored).extracting(TargetingScore::userId).containsExactlyInAnyOrderElementsOf(scored);
            for (TargetingScore score : rescored) {
                PastRollouts.User user = users.stream().filter(u -> u.id().equals(score.userId())).findFirst().orElseThrow();
                assertThat(score.version()).isEqualTo("v2");
                assertThat(score.score()).isCloseTo(v2Model.score(PastRollouts.features(user, 11).vector()),
                        org.assertj.core.data.Offset.offset(1e-9));
            }
        }
    }

    @Test
    void aRestoredTaskServesTheVersionItAgreedToNotTheConfiguredOne() throws Exception {
        PastRollouts.Dataset data = PastRollouts.generate(7, 1_500);
        TargetingModel v2Model = new TargetingTrainer(2, 20).fit("logistic-regression", data.x(), data.y(), 7);
        Path v2 = ModelStore.write(root.resolve("restore"), new ModelMetadata("targeting", "v2", "logistic-regression",
                TargetingModel.class.getName(), ModelStore.MODEL_FILE, UserFeatures.NAMES, 0.5, 7, "test", "none", 1_500, Map.of(),
                ModelMetadata.SMILE_VERSION, "test"), v2Model);
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
        try (var harness = harness(0.05)) {
            harness.processBroadcastElement(new ModelUpdate("targeting", "v2", v2.toString()), 0);
            snapshot = harness.snapshot(1, 1);
        }
        UserScorer scorer = new UserScorer(new UserScorer.Settings(modelDir.toString(), 5, 0.05, Duration.ofDays(7)));
        try (var restored = new KeyedBroadcastOperatorTestHarness<>(
                new org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator<>(scorer, List.of(UserScorer.MODEL_STATE)),
                TelemetryEvent::userId, Types.STRING, 1, 1, 0)) {
            restored.setup();
            restored.initializeState(snapshot);
            restored.open();
            assertThat(scorer.current().id()).isEqualTo("targeting@v1"); // open() loads the configured directory
            PastRollouts.User user = PastRollouts.population(12, 40).stream()
                    .filter(u -> PastRollouts.features(u, 12).requests >= 5).findFirst().orElseThrow();
            for (TelemetryEvent event : PastRollouts.observe(user, 12)) {
                restored.processElement(event, event.timestampMillis());
            }
            assertThat(scorer.current().id()).isEqualTo("targeting@v2");
            assertThat(restored.extractOutputValues()).isNotEmpty().allSatisfy(s -> assertThat(s.version()).isEqualTo("v2"));
        }
    }
}
