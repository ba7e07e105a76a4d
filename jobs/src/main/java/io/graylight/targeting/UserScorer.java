package io.graylight.targeting;

import io.graylight.contracts.targeting.TargetingScore;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.ml.store.LoadedModel;
import io.graylight.ml.store.ModelSlot;
import io.graylight.ml.targeting.TargetingModel;
import io.graylight.ml.targeting.UserFeatures;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-user features from telemetry (keyed by userId) and the targeting model's score of them.
 * A score is emitted (an upsert on the compacted topic) once the user has {@code minRequests}
 * requests, and after that only when it moved by at least {@code minChange}: the topic carries
 * changes, not every event. State is one {@link UserFeatures} (counters) and the last emitted
 * score per user, cleared by an event-time timer {@code ttl} after the user's last event (the
 * score on the topic stays; a returning user starts afresh).
 */
public class UserScorer extends KeyedProcessFunction<String, TelemetryEvent, TargetingScore> {

    private static final Logger LOG = LoggerFactory.getLogger(UserScorer.class);

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
    private transient ModelSlot<TargetingModel> slot;
    private transient Counter updates;

    public UserScorer(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        slot = new ModelSlot<>(TargetingModel.class);
        String error = slot.tryLoad(Path.of(settings.modelDirectory()));
        if (error != null) {
            // Without a model nothing is scored: unscored users stay on the baseline, the safe side.
            LOG.error("targeting model {}", error);
            getRuntimeContext().getMetricGroup().counter("modelRefusals").inc();
        }
        updates = getRuntimeContext().getMetricGroup().counter("scoreUpdates");
    }

    public LoadedModel<TargetingModel> current() {
        return slot.current();
    }

    @Override
    public void processElement(TelemetryEvent event, Context ctx, Collector<TargetingScore> out) throws Exception {
        ValueState<UserFeatures> state = getRuntimeContext().getState(FEATURES);
        UserFeatures features = state.value() == null ? new UserFeatures() : state.value();
        long previousLast = features.lastSeenMillis;
        features.add(event);
        state.update(features);
        if (features.lastSeenMillis != previousLast) {
            ctx.timerService().registerEventTimeTimer(features.lastSeenMillis + settings.ttl().toMillis());
        }
        if (!slot.isLoaded() || features.requests < settings.minRequests()) {
            return;
        }
        LoadedModel<TargetingModel> model = slot.current();
        double score = model.model().score(features.vector());
        ValueState<Double> last = getRuntimeContext().getState(LAST_SCORE);
        if (last.value() == null || Math.abs(score - last.value()) >= settings.minChange()) {
            last.update(score);
            updates.inc();
            out.collect(new TargetingScore(ctx.getCurrentKey(), score, model.metadata().model(), model.metadata().version(),
                    Instant.ofEpochMilli(features.lastSeenMillis)));
        }
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
