package io.graylight.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.cli.GraylightCli;
import io.graylight.ml.anomaly.AnomalyDetector;
import io.graylight.ml.anomaly.AnomalyFeatures;
import io.graylight.ml.store.LoadedModel;
import io.graylight.ml.store.ModelLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code graylight models train anomaly} end to end, on a small training set. */
class ModelsCommandTest {

    @TempDir
    Path out;

    @Test
    void trainWritesAVerifiableModelWithMetadataReportAndChart() throws Exception {
        int exit = GraylightCli.commandLine().execute("models", "train", "anomaly", "--runs", "2", "--seed", "5", "--out", out.toString());
        assertThat(exit).isZero();
        Path dir = out.resolve("anomaly/v1");
        for (String file : new String[] {"model.ser", "model.ser.sha256", "metadata.json", "report.md", "evaluation.png"}) {
            assertThat(dir.resolve(file)).isNotEmptyFile();
        }
        LoadedModel<AnomalyDetector> model = ModelLoader.load(dir, AnomalyDetector.class);
        assertThat(model.metadata().features()).isEqualTo(AnomalyFeatures.NAMES);
        assertThat(model.metadata().seed()).isEqualTo(5);
        assertThat(model.metadata().evaluation()).containsKeys("precision", "window_recall", "run_recall");
        assertThat(Files.readString(dir.resolve("report.md"))).contains("precision").contains("evaluation.png");
    }

    @Test
    void aUserMistakeIsAnErrorMessageNotAStackTrace() {
        assertThat(GraylightCli.commandLine().execute("models", "train", "nonsense")).isEqualTo(2);
        assertThat(GraylightCli.commandLine().execute("models", "evaluate", "--models", out.resolve("missing").toString())).isEqualTo(1);
    }
}
