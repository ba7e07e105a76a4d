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

    @Test
    void publishVerifiesTheVersionFirstAndSaysWhereItWouldGo() throws Exception {
        java.io.StringWriter stdout = new java.io.StringWriter();
        java.io.StringWriter stderr = new java.io.StringWriter();
        picocli.CommandLine cli = GraylightCli.commandLine();
        cli.setOut(new java.io.PrintWriter(stdout));
        cli.setErr(new java.io.PrintWriter(stderr));
        // the shipped v1; --dry-run needs no Kafka (the working directory is jobs/)
        assertThat(cli.execute("models", "publish", "targeting", "v1", "--models", "../ml-models", "--dry-run",
                "--job-path", "/models/targeting/v1")).isZero();
        ModelUpdate update = io.graylight.contracts.json.Json.fromBytes(stdout.toString().strip().getBytes(), ModelUpdate.class);
        assertThat(update).isEqualTo(new ModelUpdate("targeting", "v1", "/models/targeting/v1"));
        // a version that is not there, and a model file of the other kind, are refused before anything is sent
        assertThat(cli.execute("models", "publish", "anomaly", "v9", "--models", "../ml-models", "--dry-run")).isEqualTo(2);
        assertThat(stderr.toString()).contains("anomaly/v9/metadata.json is missing").contains("nothing sent");
        Path wrong = Files.createDirectories(out.resolve("anomaly"));
        for (String file : new String[] {"model.ser", "model.ser.sha256", "metadata.json"}) {
            Files.copy(Path.of("../ml-models/targeting/v1").resolve(file), Files.createDirectories(wrong.resolve("v1")).resolve(file));
        }
        assertThat(cli.execute("models", "publish", "anomaly", "v1", "--models", out.toString(), "--dry-run")).isEqualTo(2);
        assertThat(stderr.toString()).contains("expected io.graylight.ml.anomaly.AnomalyDetector");
    }

}
