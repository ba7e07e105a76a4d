package io.graylight.ml.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Writes a model directory {@code ROOT/MODEL/VERSION/}: the serialized model ({@code model.ser}),
 * its checksum in {@code sha256sum} format ({@code model.ser.sha256}) and {@code metadata.json}.
 */
public final class ModelStore {

    public static final String MODEL_FILE = "model.ser";
    public static final String CHECKSUM_FILE = MODEL_FILE + ".sha256";
    public static final String METADATA_FILE = "metadata.json";

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelStore() {}

    public static Path directory(Path root, String model, String version) {
        return root.resolve(model).resolve(version);
    }

    /** Writes the three files; returns the directory. */
    public static Path write(Path root, ModelMetadata metadata, Serializable model) throws IOException {
        Path dir = directory(root, metadata.model(), metadata.version());
        Files.createDirectories(dir);
        byte[] bytes = serialize(model);
        Files.write(dir.resolve(MODEL_FILE), bytes);
        Files.writeString(dir.resolve(CHECKSUM_FILE), sha256(bytes) + "  " + MODEL_FILE + "\n", StandardCharsets.UTF_8);
        Files.write(dir.resolve(METADATA_FILE), MAPPER.writeValueAsBytes(metadata));
        return dir;
    }

    public static byte[] serialize(Serializable model) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream objects = new ObjectOutputStream(out)) {
            objects.writeObject(model);
        }
        return out.toByteArray();
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
