package io.graylight.ml.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graylight.ml.anomaly.AnomalyDetector;
import io.graylight.ml.anomaly.AnomalyFeatures;
import io.graylight.ml.anomaly.AnomalyTrainer;
import java.io.File;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLoaderTest {

    static AnomalyDetector detector;

    @TempDir
    Path root;

    @BeforeAll
    static void train() {
        Random random = new Random(3);
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            double[] x = new double[AnomalyFeatures.SIZE];
            for (int j = 0; j < x.length; j++) {
                x[j] = random.nextGaussian();
            }
            rows.add(x);
        }
        detector = new AnomalyTrainer(10, 64, 0.99, 0.999).train(rows, 1, null);
    }

    private static ModelMetadata metadata(String version, Class<?> type) {
        return new ModelMetadata("anomaly", version, "isolation-forest", type.getName(), ModelStore.MODEL_FILE,
                AnomalyFeatures.NAMES, 0.6, 1, "test", "none", 300, Map.of(), ModelMetadata.SMILE_VERSION, "test");
    }

    private Path write(String version, Serializable model, Class<?> declared) throws Exception {
        return ModelStore.write(root, metadata(version, declared), model);
    }

    @Test
    void loadsAVerifiedModelThatScoresLikeTheOriginal() throws Exception {
        Path dir = write("v1", detector, AnomalyDetector.class);
        LoadedModel<AnomalyDetector> loaded = ModelLoader.load(dir, AnomalyDetector.class);
        double[] x = new double[AnomalyFeatures.SIZE];
        x[0] = 8;
        assertThat(loaded.model().score(x)).isEqualTo(detector.score(x));
        assertThat(loaded.id()).isEqualTo("anomaly@v1");
        assertThat(loaded.sha256()).isEqualTo(Files.readString(dir.resolve(ModelStore.CHECKSUM_FILE)).split(" ")[0]);
    }

    @Test
    void refusesATamperedFile() throws Exception {
        Path dir = write("v1", detector, AnomalyDetector.class);
        Path file = dir.resolve(ModelStore.MODEL_FILE);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
        assertThatThrownBy(() -> ModelLoader.load(dir, AnomalyDetector.class))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("SHA-256").hasMessageContaining("tampered");
    }

    @Test
    void refusesATruncatedFileEvenWithAMatchingChecksum() throws Exception {
        Path dir = write("v1", detector, AnomalyDetector.class);
        Path file = dir.resolve(ModelStore.MODEL_FILE);
        byte[] bytes = Arrays.copyOf(Files.readAllBytes(file), 1000);
        Files.write(file, bytes);
        assertThatThrownBy(() -> ModelLoader.load(dir, AnomalyDetector.class))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("SHA-256");
        Files.writeString(dir.resolve(ModelStore.CHECKSUM_FILE), ModelStore.sha256(bytes) + "  model.ser\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ModelLoader.load(dir, AnomalyDetector.class))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("cannot be read as a model");
    }

    @Test
    void refusesAnObjectOfTheWrongClass() throws Exception {
        HashMap<String, Double> notAModel = new HashMap<>(Map.of("threshold", 0.5));
        Path dir = write("v2", notAModel, AnomalyDetector.class);
        assertThatThrownBy(() -> ModelLoader.load(dir, AnomalyDetector.class))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("holds a java.util.HashMap");
    }

    @Test
    void refusesMetadataThatNamesAnotherClass() throws Exception {
        Path dir = write("v2", detector, String.class);
        assertThatThrownBy(() -> ModelLoader.load(dir, AnomalyDetector.class))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("names class java.lang.String");
    }

    @Test
    void refusesClassesOffTheAllowList() throws Exception {
        // java.io.File is harmless, but it stands for any class a crafted file could smuggle in.
        ArrayList<Object> smuggled = new ArrayList<>(List.of(new File("/etc/passwd")));
        Path dir = write("v3", smuggled, AnomalyDetector.class);
        assertThatThrownBy(() -> ModelLoader.load(dir, AnomalyDetector.class))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("java.io.File is not on the model allow-list");
    }

    @Test
    void refusesMissingFiles() throws Exception {
        Path dir = write("v1", detector, AnomalyDetector.class);
        Files.delete(dir.resolve(ModelStore.CHECKSUM_FILE));
        assertThatThrownBy(() -> ModelLoader.load(dir, AnomalyDetector.class)).hasMessageContaining("checksum file");
        assertThatThrownBy(() -> ModelLoader.load(root.resolve("nope"), AnomalyDetector.class)).hasMessageContaining("is missing");
    }

    @Test
    void aSlotKeepsServingTheOldModelWhenTheNewOneIsBad() throws Exception {
        ModelSlot<AnomalyDetector> slot = new ModelSlot<>(AnomalyDetector.class);
        assertThat(slot.tryLoad(write("v1", detector, AnomalyDetector.class))).isNull();
        Path bad = write("v2", detector, AnomalyDetector.class);
        Files.write(bad.resolve(ModelStore.MODEL_FILE), new byte[] {1, 2, 3});
        String error = slot.tryLoad(bad);
        assertThat(error).contains("refused").contains("still serving anomaly@v1");
        assertThat(slot.current().metadata().version()).isEqualTo("v1");
    }
}
