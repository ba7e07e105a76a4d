package io.graylight.models;

import io.graylight.ml.store.LoadedModel;
import io.graylight.ml.store.ModelSlot;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model one scoring task serves, and how it changes while the job runs: the operator side of
 * a live upgrade, shared by the anomaly and targeting scorers (each a keyed broadcast function on
 * {@link ModelUpdates#broadcast}). Created in {@code open()} with the configured directory;
 * {@link #apply} loads a broadcast {@link ModelUpdate} and {@link #follow} re-serves the agreed
 * version after a restore.
 *
 * <p>A version is swapped in only once {@code ModelLoader} has verified it (checksum, allow-listed
 * deserialization, expected class); a missing, corrupt or tampered directory is refused with the
 * file and the reason in the log and the {@code modelRefusals} counter, and the model in force
 * keeps serving. Only a served version is written to broadcast state, so a restore never picks a
 * refused one. Metrics: {@code modelRefusals}, {@code modelLoads} (verified loads,
 * the first one included).
 */
public final class LiveModel<T extends Serializable> {

    private static final Logger LOG = LoggerFactory.getLogger(LiveModel.class);

    private final String name;
    private final ModelSlot<T> slot;
    private final Counter refusals;
    private final Counter loads;
    /** The directory the model in force came from; null while none serves. */
    private String servedPath;
    /** The directory tried last, served or refused: a refused path is not retried on every record. */
    private String triedPath;

    /**
     * @param name the model id the updates must name, e.g. {@code anomaly}
     * @param directory the version to serve from the start; a refusal leaves the task without a model
     *     (it scores nothing) until an update brings a good one
     */
    public LiveModel(String name, Class<T> type, String directory, MetricGroup metrics) {
        this.name = Objects.requireNonNull(name);
        this.slot = new ModelSlot<>(type);
        this.refusals = metrics.counter("modelRefusals");
        this.loads = metrics.counter("modelLoads");
        load(directory);
    }

    /**
     * For {@code processBroadcastElement}: loads an update of this model (others are ignored) and,
     * once it serves, records it as the agreed version. Each record is an operator's explicit request,
     * so it is loaded even when its path is the one in force (a directory fixed in place).
     *
     * @return whether a different model (by checksum) now serves, e.g. to re-score what was scored before
     */
    public boolean apply(ModelUpdate update, BroadcastState<String, ModelUpdate> state) throws Exception {
        if (update == null || update.problem() != null || !name.equals(update.model())) {
            return false;
        }
        String before = slot.isLoaded() ? slot.current().sha256() : null;
        if (!load(update.path())) {
            return false;
        }
        state.put(name, update);
        return !slot.current().sha256().equals(before);
    }

    /**
     * For {@code processElement}: after a restore the broadcast state names the version served
     * before the failure, while {@code open()} loaded the configured one; serve the agreed one again.
     */
    public void follow(ReadOnlyBroadcastState<String, ModelUpdate> state) throws Exception {
        ModelUpdate agreed = state.get(name);
        if (agreed != null && !agreed.path().equals(servedPath) && !agreed.path().equals(triedPath)) {
            load(agreed.path());
        }
    }

    private boolean load(String path) {
        if (path == null) {
            return false;
        }
        triedPath = path;
        String error = slot.tryLoad(Path.of(path));
        if (error != null) {
            refusals.inc();
            LOG.error("{} model update refused: {}", name, error);
            return false;
        }
        servedPath = path;
        loads.inc();
        LOG.info("{} model {} now serving from {} (sha256 {})", name, slot.current().id(), path, slot.current().sha256());
        return true;
    }

    public boolean isLoaded() {
        return slot.isLoaded();
    }

    /** The model in force, or null while none is. */
    public LoadedModel<T> current() {
        return slot.current();
    }
}
