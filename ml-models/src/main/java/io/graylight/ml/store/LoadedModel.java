package io.graylight.ml.store;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * A verified model with its metadata and where it came from.
 *
 * @param sizeBytes size of the model file
 * @param sha256 the verified checksum
 */
public record LoadedModel<T extends Serializable>(T model, ModelMetadata metadata, Path directory, long sizeBytes, String sha256) {

    /** {@code model@version}, as alerts name their rule. */
    public String id() {
        return metadata.model() + "@" + metadata.version();
    }
}
