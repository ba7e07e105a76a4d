package io.graylight.targeting;

import io.graylight.contracts.targeting.TargetingScore;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.ml.store.LoadedModel;
import io.graylight.ml.targeting.TargetingModel;
import io.graylight.ml.targeting.UserFeatures;
import io.graylight.models.LiveModel;
import io.graylight.models.ModelUpdate;
import io.graylight.models.ModelUpdates;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per-user features from telemetry (keyed by userId) and the targeting model's score of them.
 * A score is emitted (an upsert on the compacted topic) once the user has {@code minRequests}
 * requests, and after that only when it moved by at least {@code minChange}: the topic carries
 * changes, not every event. State is one {@link UserFeatures} (counters) and the last emitted
 * score per user, cleared by an event-time timer {@code ttl} after the user's last event (the
 * score on the topic stays; a returning user starts afresh).
 *
 * <p>The model is the configured directory's until a {@link ModelUpdate} of {@code targeting}
 * arrives on the broadcast input ({@link LiveModel}: verified before it serves, refused with the
 * reason in the log and {@code modelRefusals} while the previous one keeps scoring). When a new
 * model serves, every user this task has scored is re-scored and re-emitted at once: scores of two
 * versions are not comparable, and the {@code smart} strategy ranks users by them, so the topic
 * must not mix versions until each user happens to come back.
 */
public class UserScorer extends KeyedBroadcastProcessFunction<String, TelemetryEvent, ModelUpdate, TargetingScore> {

    public static final String MODEL = "targeting";
    public static final MapStateDescriptor<String, ModelUpdate> MODEL_STATE = ModelUpdates.stateDescriptor(MODEL);

    static final ValueStateDescriptor<UserFeatures> FEATURES =
            new ValueStateDescriptor<>("user-features", TypeInformation.of(UserFeatures.class));
    static final ValueStateDescriptor<Double> LAST_SCORE = new ValueStateDescriptor<>("last-score", Types.DOUBLE);

    /**
     * @param minRequests requests before a user is scored at all
     * @param minChange smallest change of the score that is worth an update
     * @param ttl event time after a user's last event when their state is dropped
     */
    public record Settings(String modelDirectory, int minRequests, double minChange, Duration ttl) implements Serializable {
        public static Settings defaults(String modelDirectory) {
            return new Settings(modelDirectory, 5, 0.05, Duration.ofDays(7));
        }
    }

    private final Settings settings;
    // Without a model nothing is scored: unscored users stay on the baseline, the safe side.
    private transient LiveModel<TargetingModel> model;
    private transient Counter updates;

    public UserScorer(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        model = new LiveModel<>(MODEL, TargetingModel.class, settings.modelDirectory(), getRuntimeContext().getMetricGroup());
        updates = getRuntimeContext().getMetricGroup().counter("scoreUpdates");
    }

    public LoadedModel<TargetingModel> current() {
        return model.current();
    }

    @Override
    public void processBroadcastElement(ModelUpdate update, Context ctx, Collector<TargetingScore> out) throws Exception {
        if (!model.apply(update, ctx.getBroadcastState(MODEL_STATE))) {
            return;
        }
        LoadedModel<TargetingModel> serving = model.current();
        ValueState<Double> last = getRuntimeContext().getState(LAST_SCORE);
        ctx.applyToKeyedState(FEATURES, (userId, features) -> {
            UserFeatures current = features.value();
            // The key is current here, so last is this user's. Users not scored before (too few
            // requests, or no model served) are scored now if they qualify.
            if (current != null && current.requests >= settings.minRequests()) {
                double score = serving.model().score(current.vector());
                last.update(score);
                updates.inc();
                out.collect(score(userId, score, serving, current));
            }
        });
    }

    @Override
    public void processElement(TelemetryEvent event, ReadOnlyContext ctx, Collector<TargetingScore> out) throws Exception {
        model.follow(ctx.getBroadcastState(MODEL_STATE));
        ValueState<UserFeatures> state = getRuntimeContext().getState(FEATURES);
        UserFeatures features = state.value() == null ? new UserFeatures() : state.value();
        long previousLast = features.lastSeenMillis;
        features.add(event);
        state.update(features);
        if (features.lastSeenMillis != previousLast) {
            ctx.timerService().registerEventTimeTimer(features.lastSeenMillis + settings.ttl().toMillis());
        }
        if (!model.isLoaded() || features.requests < settings.minRequests()) {
            return;
        }
        LoadedModel<TargetingModel> serving = model.current();
        double score = serving.model().score(features.vector());
        ValueState<Double> last = getRuntimeContext().getState(LAST_SCORE);
        if (last.value() == null || Math.abs(score - last.value()) >= settings.minChange()) {
            last.update(score);
            updates.inc();
            out.collect(score(ctx.getCurrentKey(), score, serving, features));
        }
    }

    private static TargetingScore score(String userId, double score, LoadedModel<TargetingModel> model, UserFeatures features) {
        return new TargetingScore(userId, score, model.metadata().model(), model.metadata().version(),
                Instant.ofEpochMilli(features.lastSeenMillis));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TargetingScore> out) throws Exception {
        UserFeatures features = getRuntimeContext().getState(FEATURES).value();
        if (features == null || timestamp >= features.lastSeenMillis + settings.ttl().toMillis()) {
            getRuntimeContext().getState(FEATURES).clear();
            getRuntimeContext().getState(LAST_SCORE).clear();
        }
    }
}
