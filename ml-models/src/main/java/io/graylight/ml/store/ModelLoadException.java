package io.graylight.ml.store;

/** A model that must not be used: missing, unreadable, tampered with, or not what was expected. */
public final class ModelLoadException extends Exception {

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
