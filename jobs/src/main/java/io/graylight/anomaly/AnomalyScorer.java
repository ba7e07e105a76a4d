package io.graylight.anomaly;

import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.alert.AlertScope;
import io.graylight.contracts.metrics.CohortMetrics;
import io.graylight.contracts.telemetry.Cohort;
import io.graylight.ml.anomaly.AnomalyDetector;
import io.graylight.ml.anomaly.AnomalyScoring;
import io.graylight.ml.anomaly.AnomalyVerdict;
import io.graylight.ml.anomaly.CohortHistory;
import io.graylight.ml.store.LoadedModel;
import io.graylight.models.LiveModel;
import io.graylight.models.ModelUpdate;
import io.graylight.models.ModelUpdates;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import io.graylight.types.JsonTypeInfo;

/**
 * Scores each release's windows with the anomaly model (keyed by release): pairs the canary's and
 * the baseline's window of the same end, builds the feature vector against each cohort's history
 * (keyed state), and emits an {@link Alert} when the verdict is anomalous.
 *
 * <p>The model is loaded once per task in {@code open()} from the configured directory and can be
 * replaced while running by a {@link ModelUpdate} on the broadcast input ({@link LiveModel}: a model
 * that fails verification is refused with the reason in the log and the {@code modelRefusals}
 * counter, and the previous one keeps scoring; the version in force is kept in broadcast state, so
 * a restored job serves the version it served before). Alerts name the version that scored them
 * ({@code rule: anomaly@v2}). State is bounded: at most a few unpaired windows per
 * release (an event-time timer drops a window whose partner never came, e.g. a silent canary,
 * which the CEP silence rule reports) and two histories, cleared after {@code idleTtl} without windows.
 */
public class AnomalyScorer extends KeyedBroadcastProcessFunction<String, CohortMetrics, ModelUpdate, Alert> {

    public static final String MODEL = "anomaly";
    public static final MapStateDescriptor<String, ModelUpdate> MODEL_STATE = ModelUpdates.stateDescriptor(MODEL);
    static final MapStateDescriptor<Long, CohortMetrics> PENDING =
            new MapStateDescriptor<>("pending-windows", Types.LONG, JsonTypeInfo.of(CohortMetrics.class));
    static final ValueStateDescriptor<CohortHistory> CANARY_HISTORY =
            new ValueStateDescriptor<>("canary-history", TypeInformation.of(CohortHistory.class));
    static final ValueStateDescriptor<CohortHistory> BASELINE_HISTORY =
            new ValueStateDescriptor<>("baseline-history", TypeInformation.of(CohortHistory.class));
    static final ValueStateDescriptor<Long> LAST_WINDOW_END = new ValueStateDescriptor<>("last-window-end", Types.LONG);

    private final String modelDirectory;
    private final AnomalyAlerts alerts;
    private final Duration pairingGrace;
    private final Duration idleTtl;

    private transient LiveModel<AnomalyDetector> model;
    private transient Counter unpairedWindows;

    /**
     * @param modelDirectory the model to serve from the start ({@code ml-models/anomaly/v1})
     * @param pairingGrace how long after a window's end its partner may still come
     * @param idleTtl event time without windows after which a release's histories are dropped
     */
    public AnomalyScorer(String modelDirectory, AnomalyAlerts alerts, Duration pairingGrace, Duration idleTtl) {
        this.modelDirectory = modelDirectory;
        this.alerts = alerts;
        this.pairingGrace = pairingGrace;
        this.idleTtl = idleTtl;
    }

    @Override
    public void open(OpenContext openContext) {
        model = new LiveModel<>(MODEL, AnomalyDetector.class, modelDirectory, getRuntimeContext().getMetricGroup());
        unpairedWindows = getRuntimeContext().getMetricGroup().counter("unpairedWindows");
    }

    /** The model in force, for tests and the bench. */
    public LoadedModel<AnomalyDetector> current() {
        return model.current();
    }

    @Override
    public void processBroadcastElement(ModelUpdate update, Context ctx, Collector<Alert> out) throws Exception {
        // Histories hold metrics, not scores: the next window is simply scored by the new version.
        model.apply(update, ctx.getBroadcastState(MODEL_STATE));
    }

    @Override
    public void processElement(CohortMetrics window, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        model.follow(ctx.getBroadcastState(MODEL_STATE));
        long end = window.windowEnd().toEpochMilli();
        ValueState<Long> lastEnd = getRuntimeContext().getState(LAST_WINDOW_END);
        MapState<Long, CohortMetrics> pending = getRuntimeContext().getMapState(PENDING);
        boolean canary = Cohort.CANARY.wireName().equals(window.cohort());
        long slotKey = canary ? end : -end; // canary windows under +end, baseline under -end
        CohortMetrics partner = pending.get(-slotKey);
        if (partner == null) {
            pending.put(slotKey, window);
            ctx.timerService().registerEventTimeTimer(end + pairingGrace.toMillis());
        } else {
            pending.remove(-slotKey);
            score(canary ? window : partner, canary ? partner : window, out);
        }
        if (lastEnd.value() == null || end > lastEnd.value()) {
            lastEnd.update(end);
            ctx.timerService().registerEventTimeTimer(end + idleTtl.toMillis());
        }
    }

    private void score(CohortMetrics canary, CohortMetrics baseline, Collector<Alert> out) throws Exception {
        if (!model.isLoaded()) {
            return;
        }
        ValueState<CohortHistory> canaryState = getRuntimeContext().getState(CANARY_HISTORY);
        ValueState<CohortHistory> baselineState = getRuntimeContext().getState(BASELINE_HISTORY);
        CohortHistory canaryHistory = canaryState.value() == null ? new CohortHistory() : canaryState.value();
        CohortHistory baselineHistory = baselineState.value() == null ? new CohortHistory() : baselineState.value();
        LoadedModel<AnomalyDetector> serving = model.current();
        AnomalyVerdict verdict = AnomalyScoring.step(serving.model(), canary, baseline, canaryHistory, baselineHistory).verdict();
        canaryState.update(canaryHistory);
        baselineState.update(baselineHistory);
        if (verdict.anomalous()) {
            out.collect(alerts.alert(serving.id(), canary, baseline, verdict));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        MapState<Long, CohortMetrics> pending = getRuntimeContext().getMapState(PENDING);
        long cutoff = timestamp - pairingGrace.toMillis();
        for (Long key : List.copyOf(iterable(pending.keys()))) {
            if (Math.abs(key) <= cutoff) {
                pending.remove(key);
                unpairedWindows.inc();
            }
        }
        Long lastEnd = getRuntimeContext().getState(LAST_WINDOW_END).value();
        if (lastEnd != null && timestamp >= lastEnd + idleTtl.toMillis()) {
            getRuntimeContext().getState(CANARY_HISTORY).clear();
            getRuntimeContext().getState(BASELINE_HISTORY).clear();
            getRuntimeContext().getState(LAST_WINDOW_END).clear();
            pending.clear();
        }
    }

    private static <T> java.util.List<T> iterable(Iterable<T> values) {
        java.util.List<T> list = new java.util.ArrayList<>();
        values.forEach(list::add);
        return list;
    }

    /** Deterministic alert id: the same window scored again (a replay, a retry) keeps its id. */
    static String alertId(String rule, String release, AlertScope scope, Instant windowEnd) {
        return UUID.nameUUIDFromBytes((rule + '\u0000' + release + '\u0000' + scope + '\u0000' + windowEnd)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }
}
