package io.graylight.anomaly;

/**
 * A model version to serve, broadcast to running scorers (compacted topic {@code graylight.models},
 * key = model): the directory holds {@code model.ser}, its {@code .sha256} and {@code metadata.json}
 * and must be readable by every task manager (a shared volume or the image).
 */
public record ModelUpdate(String model, String version, String path) {}
