package io.graylight.ml.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a model directory written by {@link ModelStore}, refusing anything it cannot vouch for:
 * the checksum in {@code model.ser.sha256} must match the file, deserialization admits only the
 * classes of {@link ModelFilter}, and the object must be of the expected class and the metadata
 * must name it. Every refusal is a {@link ModelLoadException} that says which file and why;
 * callers keep serving the model they had.
 */
public final class ModelLoader {

    private ModelLoader() {}

    public static <T extends Serializable> LoadedModel<T> load(Path directory, Class<T> expected) throws ModelLoadException {
        Path metadataFile = directory.resolve(ModelStore.METADATA_FILE);
        ModelMetadata metadata;
        try {
            metadata = ModelStore.MAPPER.readValue(Files.readAllBytes(metadataFile), ModelMetadata.class);
        } catch (NoSuchFileException e) {
            throw new ModelLoadException("model refused: " + metadataFile + " is missing");
        } catch (IOException e) {
            throw new ModelLoadException("model refused: " + metadataFile + " is not valid metadata JSON: " + e.getMessage(), e);
        }
        if (metadata.modelClass() == null || !metadata.modelClass().equals(expected.getName())) {
            throw new ModelLoadException("model refused: " + metadataFile + " names class " + metadata.modelClass()
                    + ", expected " + expected.getName());
        }
        String fileName = metadata.file() == null ? ModelStore.MODEL_FILE : metadata.file();
        if (fileName.contains("/") || fileName.contains("\\") || fileName.startsWith(".")) {
            throw new ModelLoadException("model refused: " + metadataFile + " names a file outside its directory: " + fileName);
        }
        Path modelFile = directory.resolve(fileName);
        Path checksumFile = directory.resolve(fileName + ".sha256");
        byte[] bytes;
        String expectedSum;
        try {
            bytes = Files.readAllBytes(modelFile);
        } catch (NoSuchFileException e) {
            throw new ModelLoadException("model refused: " + modelFile + " is missing");
        } catch (IOException e) {
            throw new ModelLoadException("model refused: cannot read " + modelFile + ": " + e.getMessage(), e);
        }
        try {
            String line = Files.readString(checksumFile, StandardCharsets.UTF_8).strip();
            expectedSum = line.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        } catch (NoSuchFileException e) {
            throw new ModelLoadException("model refused: checksum file " + checksumFile + " is missing");
        } catch (IOException e) {
            throw new ModelLoadException("model refused: cannot read " + checksumFile + ": " + e.getMessage(), e);
        }
        String actualSum = ModelStore.sha256(bytes);
        if (!actualSum.equals(expectedSum)) {
            throw new ModelLoadException("model refused: " + modelFile + " has SHA-256 " + actualSum + " but "
                    + checksumFile.getFileName() + " says " + expectedSum + " (corrupt or tampered with)");
        }
        Object object = deserialize(bytes, modelFile);
        if (!expected.isInstance(object)) {
            throw new ModelLoadException("model refused: " + modelFile + " holds a " + object.getClass().getName()
                    + ", expected " + expected.getName());
        }
        return new LoadedModel<>(expected.cast(object), metadata, directory, bytes.length, actualSum);
    }

    /** Deserializes under the {@link ModelFilter} allow-list. */
    static Object deserialize(byte[] bytes, Path source) throws ModelLoadException {
        ModelFilter filter = new ModelFilter();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(filter);
            return in.readObject();
        } catch (InvalidClassException e) {
            String what = filter.rejected() != null ? "class " + filter.rejected() + " is not on the model allow-list" : e.getMessage();
            throw new ModelLoadException("model refused: " + source + ": " + what, e);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw new ModelLoadException("model refused: " + source + " cannot be read as a model (" + e + ")", e);
        }
    }
}
