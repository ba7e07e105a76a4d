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
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-user scoring operator: features in keyed state, upserts only on meaningful change, state dropped after the TTL. */
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

    private static KeyedOneInputStreamOperatorTestHarness<String, TelemetryEvent, TargetingScore> harness(double minChange) throws Exception {
        UserScorer scorer = new UserScorer(new UserScorer.Settings(modelDir.toString(), 5, minChange, Duration.ofDays(7)));
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(scorer), TelemetryEvent::userId, Types.STRING);
        harness.open();
        return harness;
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
            assertThat(harness.numKeyedStateEntries()).isGreaterThan(0);
            harness.processWatermark(new Watermark(PastRollouts.OBSERVATION_START.plus(Duration.ofDays(30)).toEpochMilli()));
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }
}
