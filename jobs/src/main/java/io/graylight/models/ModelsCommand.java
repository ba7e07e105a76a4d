package io.graylight.models;

import io.graylight.anomaly.AnomalyEvaluation;
import io.graylight.anomaly.AnomalyModelTraining;
import io.graylight.ml.Vectors;
import io.graylight.ml.anomaly.AnomalyDetector;
import io.graylight.ml.report.Charts;
import io.graylight.ml.store.LoadedModel;
import io.graylight.ml.store.ModelLoadException;
import io.graylight.ml.store.ModelLoader;
import io.graylight.ml.store.ModelMetadata;
import io.graylight.ml.store.ModelStore;
import io.graylight.ml.targeting.PastRollouts;
import io.graylight.ml.targeting.SmartRolloutSimulation;
import io.graylight.ml.targeting.TargetingModel;
import io.graylight.ml.targeting.TargetingTrainer;
import io.graylight.ml.targeting.UserFeatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import smile.validation.metric.AUC;

/**
 * {@code graylight models train anomaly|targeting} and {@code graylight models evaluate}: train
 * the Smile models on simulated data (reproducible from the seed), write
 * {@code DIR/MODEL/VERSION/} (model, SHA-256, metadata.json) with an evaluation report
 * ({@code report.md}) and a chart ({@code evaluation.png}), and re-evaluate shipped models;
 * {@code graylight models publish} ({@link PublishCommand}) rolls a version out to running jobs.
 */
@Command(name = "models", mixinStandardHelpOptions = true, description = "Train, evaluate and publish the anomaly and targeting models.",
        subcommands = {ModelsCommand.Train.class, ModelsCommand.Evaluate.class, PublishCommand.class, CommandLine.HelpCommand.class})
public final class ModelsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }

    enum Kind { anomaly, targeting }

    @Command(name = "train", mixinStandardHelpOptions = true, description = "Train a model on simulated data and write it with its metadata and report.")
    static final class Train implements Callable<Integer> {
        @Parameters(index = "0", description = "anomaly or targeting") Kind kind;
        @Option(names = "--seed", description = "random seed (default ${DEFAULT-VALUE})") long seed = 1;
        @Option(names = "--out", description = "model root directory (default ${DEFAULT-VALUE})") Path out = Path.of("ml-models");
        @Option(names = "--version", description = "version directory name (default ${DEFAULT-VALUE})") String version = "v1";
        @Option(names = "--runs", description = "anomaly: normal simulated runs of 30 min (default ${DEFAULT-VALUE})") int runs = 24;
        @Option(names = "--users", description = "targeting: simulated users (default ${DEFAULT-VALUE})") int users = 20_000;
        @Option(names = "--threshold-quantile", description = "anomaly: quantile of normal training scores used as threshold (default ${DEFAULT-VALUE})")
        double thresholdQuantile = io.graylight.ml.anomaly.AnomalyTrainer.defaults().thresholdQuantile();

        @Override
        public Integer call() throws Exception {
            if (!(thresholdQuantile > 0.5 && thresholdQuantile < 1)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--threshold-quantile must be in (0.5, 1): " + thresholdQuantile);
            }
            Path dir = kind == Kind.anomaly ? trainAnomaly(out, version, seed, runs, thresholdQuantile) : trainTargeting(out, version, seed, users);
            System.out.println("wrote " + dir + " (model.ser, model.ser.sha256, metadata.json, report.md, evaluation.png)");
            return 0;
        }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Evaluate the shipped models on fresh simulated data and write a report.")
    static final class Evaluate implements Callable<Integer> {
        @Option(names = "--models", description = "model root directory (default ${DEFAULT-VALUE})") Path models = Path.of("ml-models");
        @Option(names = "--version", description = "version to evaluate of both models (default: each model's newest)") String version;
        @Option(names = "--seed", description = "evaluation seed (default ${DEFAULT-VALUE})") long seed = 99;
        @Option(names = "--out", description = "report directory (default ${DEFAULT-VALUE})") Path out = Path.of("target/model-report");

        @Override
        public Integer call() throws Exception {
            Files.createDirectories(out);
            try {
                LoadedModel<AnomalyDetector> anomaly = ModelLoader.load(ModelStore.directory(models, "anomaly", versionOf("anomaly")), AnomalyDetector.class);
                AnomalyEvaluation.Result result = evaluateAnomaly(anomaly.model(), seed, out);
                System.out.println(anomaly.id() + ": " + format(result.asMetrics()));
                LoadedModel<TargetingModel> targeting = ModelLoader.load(ModelStore.directory(models, "targeting", versionOf("targeting")), TargetingModel.class);
                Map<String, Double> metrics = evaluateTargeting(targeting.model(), seed, out);
                System.out.println(targeting.id() + " (" + targeting.model().algorithm() + "): " + format(metrics));
            } catch (ModelLoadException e) {
                System.err.println(e.getMessage());
                return 1;
            }
            System.out.println("report: " + out.resolve("report.md"));
            return 0;
        }

        /** The given version, else the newest under MODELS/MODEL/ (v10 after v9), else v1 (refused as missing by the loader). */
        private String versionOf(String model) throws IOException {
            if (version != null) {
                return version;
            }
            Path family = models.resolve(model);
            if (!Files.isDirectory(family)) {
                return "v1";
            }
            try (var versions = Files.list(family)) {
                return versions.filter(v -> Files.isRegularFile(v.resolve(ModelStore.METADATA_FILE)))
                        .map(v -> v.getFileName().toString())
                        .max(java.util.Comparator.comparing(String::length).thenComparing(v -> v))
                        .orElse("v1");
            }
        }
    }

    static Path trainAnomaly(Path root, String version, long seed, int runs, double thresholdQuantile) throws IOException {
        io.graylight.ml.anomaly.AnomalyTrainer defaults = io.graylight.ml.anomaly.AnomalyTrainer.defaults();
        AnomalyModelTraining training = new AnomalyModelTraining(runs, Duration.ofMinutes(30), new io.graylight.ml.anomaly.AnomalyTrainer(
                defaults.trees(), defaults.sampleSize(), thresholdQuantile, Math.max(thresholdQuantile, defaults.criticalQuantile())));
        List<double[]> rows;
        try (ProgressBar bar = bar("simulate normal traffic", runs, " runs")) {
            rows = training.normalVectors(seed, bar::stepBy);
        }
        AnomalyDetector detector;
        try (ProgressBar bar = bar("grow isolation trees", 2L * training.trainer().trees(), " trees")) {
            detector = training.trainer().train(rows, seed, bar::stepBy);
        }
        Path tmp = Files.createTempDirectory("anomaly-eval");
        AnomalyEvaluation.Result result = evaluateAnomaly(detector, training.evaluationSeed(seed), tmp);
        Path dir = ModelStore.write(root, training.metadata(version, seed, rows, detector, result), detector);
        Files.copy(tmp.resolve("anomaly.png"), dir.resolve("evaluation.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve("report.md"), anomalyReport(version, seed, rows.size(), result));
        return dir;
    }

    static AnomalyEvaluation.Result evaluateAnomaly(AnomalyDetector detector, long seed, Path out) throws IOException {
        int normalRuns = 6;
        AnomalyEvaluation.Result result;
        try (ProgressBar bar = bar("evaluate on held-out runs", AnomalyEvaluation.runs(normalRuns), " runs")) {
            result = AnomalyEvaluation.evaluate(detector, seed, normalRuns, Duration.ofMinutes(15), Duration.ofMinutes(6), bar::stepBy);
        }
        Charts.scoreHistogram(out.resolve("anomaly.png"), "Anomaly scores on held-out simulated windows (worst block)",
                result.normalScores(), result.faultyScores(), Math.min(detector.contrastThreshold(), detector.cohortThreshold()));
        appendReport(out, anomalyReport("(evaluated)", seed, 0, result));
        return result;
    }

    static Path trainTargeting(Path root, String version, long seed, int users) throws IOException {
        PastRollouts.Dataset train;
        try (ProgressBar bar = bar("simulate past rollouts", 1, " sets")) {
            train = PastRollouts.generate(seed, users);
            bar.step();
        }
        TargetingTrainer trainer = TargetingTrainer.defaults();
        TargetingTrainer.Result result;
        try (ProgressBar bar = bar("cross-validate LR / RF / GBT", trainer.steps(), " fits")) {
            result = trainer.train(train.x(), train.y(), seed, bar::stepBy);
        }
        Path tmp = Files.createTempDirectory("targeting-eval");
        Map<String, Double> metrics = new LinkedHashMap<>();
        result.crossValidatedAuc().forEach((algorithm, auc) -> metrics.put("cv_auc." + algorithm, auc));
        metrics.putAll(evaluateTargeting(result.model(), seed + 1_000_000, tmp));
        List<double[]> rows = new ArrayList<>(List.of(train.x()));
        ModelMetadata metadata = new ModelMetadata("targeting", version, result.model().algorithm(), TargetingModel.class.getName(),
                ModelStore.MODEL_FILE, UserFeatures.NAMES, 0.5, seed,
                users + " simulated users (PastRollouts generative model: traits and hidden fragility drive the canary outcome), "
                        + "features from a week of simulated baseline telemetry each; label = good canary experience; kept the best of "
                        + TargetingTrainer.ALGORITHMS + " by " + trainer.folds() + "-fold cross-validated AUC",
                Vectors.sha256(rows), users, metrics, ModelMetadata.SMILE_VERSION, "graylight models train targeting --seed " + seed);
        Path dir = ModelStore.write(root, metadata, result.model());
        Files.copy(tmp.resolve("targeting.png"), dir.resolve("evaluation.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve("report.md"), "# targeting " + version + " (seed " + seed + ")\n\nkept: "
                + result.model().algorithm() + "\n\n" + table(metrics) + "\n![ROC](evaluation.png)\n");
        return dir;
    }

    static Map<String, Double> evaluateTargeting(TargetingModel model, long seed, Path out) throws IOException {
        Map<String, Double> metrics = new LinkedHashMap<>();
        PastRollouts.Dataset test = PastRollouts.generate(seed, 5_000);
        double[] scores = new double[test.y().length];
        try (ProgressBar bar = bar("score held-out users + simulate rollouts", scores.length + 10, " steps")) {
            for (int i = 0; i < scores.length; i++) {
                scores[i] = model.score(test.x()[i]);
                bar.step();
            }
            double auc = AUC.of(test.y(), scores);
            metrics.put("heldout_auc", auc);
            Charts.roc(out.resolve("targeting.png"), "Targeting: held-out users, P(good canary experience)", scores, test.y(), auc);
            int smart = 0;
            int percentage = 0;
            for (long s = 0; s < 10; s++) {
                for (SmartRolloutSimulation.Exposure e : new SmartRolloutSimulation(1.0, 0.0).run(model, seed + s, 4_000, new double[] {1, 5})) {
                    smart += e.smartHarmed();
                    percentage += e.percentageHarmed();
                }
                bar.step();
            }
            metrics.put("first_stages_harmed_smart", (double) smart);
            metrics.put("first_stages_harmed_percentage", (double) percentage);
        }
        appendReport(out, "# targeting (seed " + seed + ")\n\n" + table(metrics) + "\n![ROC](targeting.png)\n");
        return metrics;
    }

    private static String anomalyReport(String version, long seed, int rows, AnomalyEvaluation.Result result) {
        return "# anomaly " + version + " (seed " + seed + (rows > 0 ? ", " + rows + " training windows" : "") + ")\n\n"
                + "Held-out simulated runs: 6 normal, and each fault of the evaluation canary-only and as a both-cohort incident.\n\n"
                + table(result.asMetrics()) + "\n![scores](" + (rows > 0 ? "evaluation.png" : "anomaly.png") + ")\n";
    }

    private static void appendReport(Path out, String text) throws IOException {
        Path report = out.resolve("report.md");
        Files.writeString(report, text + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    private static String table(Map<String, Double> metrics) {
        StringBuilder text = new StringBuilder("| metric | value |\n| --- | --- |\n");
        metrics.forEach((k, v) -> text.append("| ").append(k).append(" | ").append(String.format(Locale.ROOT, "%.4f", v)).append(" |\n"));
        return text.toString();
    }

    private static String format(Map<String, Double> metrics) {
        StringBuilder text = new StringBuilder();
        metrics.forEach((k, v) -> {
            if (!k.contains(".")) {
                text.append(text.length() == 0 ? "" : ", ").append(k).append(' ').append(String.format(Locale.ROOT, "%.3f", v));
            }
        });
        return text.toString();
    }

    static ProgressBar bar(String task, long max, String unit) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setUnit(unit, 1).setUpdateIntervalMillis(300)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
    }
}
