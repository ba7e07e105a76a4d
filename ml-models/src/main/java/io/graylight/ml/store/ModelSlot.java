package io.graylight.ml.store;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The model an operator serves now. {@link #tryLoad} swaps in a new version only once it has
 * been verified completely; on any failure the current model stays in place and the reason is
 * returned, so a bad file never interrupts scoring.
 */
public final class ModelSlot<T extends Serializable> {

    private final Class<T> type;
    private volatile LoadedModel<T> current;
    private volatile String lastError;

    public ModelSlot(Class<T> type) {
        this.type = Objects.requireNonNull(type);
    }

    /** Loads {@code directory}; returns null when it now serves it, else the reason it kept the old one. */
    public String tryLoad(Path directory) {
        try {
            LoadedModel<T> loaded = ModelLoader.load(directory, type);
            current = loaded;
            lastError = null;
            return null;
        } catch (ModelLoadException e) {
            lastError = e.getMessage() + (current == null ? "; no model is serving" : "; still serving " + current.id());
            return lastError;
        }
    }

    /** Serves an already loaded model, e.g. one built in a test. */
    public void set(LoadedModel<T> model) {
        current = Objects.requireNonNull(model);
    }

    public LoadedModel<T> current() {
        return current;
    }

    public boolean isLoaded() {
        return current != null;
    }

    public String lastError() {
        return lastError;
    }
}
