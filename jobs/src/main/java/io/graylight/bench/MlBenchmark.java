package io.graylight.bench;

import io.graylight.anomaly.AnomalyModelTraining;
import io.graylight.ml.anomaly.AnomalyDetector;
import io.graylight.ml.anomaly.AnomalyTrainer;
import io.graylight.ml.store.LoadedModel;
import io.graylight.ml.store.ModelLoader;
import io.graylight.ml.store.ModelStore;
import io.graylight.ml.targeting.PastRollouts;
import io.graylight.ml.targeting.TargetingModel;
import io.graylight.ml.targeting.TargetingTrainer;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code graylight bench ml}: scoring throughput of both shipped models inside Flink (a local
 * cluster at the given parallelism; each subtask loads the model in {@code open()} and scores a
 * pool of realistic vectors), model load time (checksum, allow-listed deserialization) and size,
 * and the training time of the shipped configurations. Figures only; nothing is asserted.
 */
@Command(name = "ml", mixinStandardHelpOptions = true, description = "Scoring throughput, load time and size, training time of the ML models.")
public final class MlBenchmark implements Callable<Integer> {

    @Option(names = "--models", description = "model root (default ${DEFAULT-VALUE})") Path models = Path.of("ml-models");
    @Option(names = "--version", description = "model version (default ${DEFAULT-VALUE})") String version = "v1";
    @Option(names = "--vectors", description = "vectors scored per model (default ${DEFAULT-VALUE})") long vectors = 1_000_000;
    @Option(names = "--parallelism", description = "Flink parallelism (default ${DEFAULT-VALUE})") int parallelism = 2;
    @Option(names = "--skip-training", description = "do not time the training of the shipped configurations") boolean skipTraining;

    @Override
    public Integer call() throws Exception {
        Path anomalyDir = ModelStore.directory(models, "anomaly", version).toAbsolutePath();
        Path targetingDir = ModelStore.directory(models, "targeting", version).toAbsolutePath();
        System.out.printf(Locale.ROOT, "cores: %d   parallelism: %d   vectors per model: %,d%n",
                Runtime.getRuntime().availableProcessors(), parallelism, vectors);
        report("anomaly", anomalyDir, AnomalyDetector.class);
        report("targeting", targetingDir, TargetingModel.class);
        double anomaly = throughput(new ScoreAnomaly(anomalyDir.toString()));
        System.out.printf(Locale.ROOT, "anomaly scoring in Flink:   %,12.0f vectors/s%n", anomaly);
        double targeting = throughput(new ScoreTargeting(targetingDir.toString()));
        System.out.printf(Locale.ROOT, "targeting scoring in Flink: %,12.0f vectors/s%n", targeting);
        if (!skipTraining) {
            long start = System.nanoTime();
            AnomalyModelTraining training = AnomalyModelTraining.defaults();
            List<double[]> rows = training.normalVectors(1, null);
            long simulated = System.nanoTime();
            training.trainer().train(rows, 1, null);
            long trained = System.nanoTime();
            System.out.printf(Locale.ROOT, "anomaly training (shipped set, %d windows): simulate %.1f s, fit %.1f s%n",
                    rows.size(), (simulated - start) / 1e9, (trained - simulated) / 1e9);
            start = System.nanoTime();
            PastRollouts.Dataset data = PastRollouts.generate(1, 20_000);
            simulated = System.nanoTime();
            TargetingTrainer.defaults().train(data.x(), data.y(), 1, null);
            trained = System.nanoTime();
            System.out.printf(Locale.ROOT, "targeting training (shipped set, 20,000 users): simulate %.1f s, 3 models x 5-fold CV + refit %.1f s%n",
                    (simulated - start) / 1e9, (trained - simulated) / 1e9);
        }
        return 0;
    }

    private static <T extends Serializable> void report(String name, Path dir, Class<T> type) throws Exception {
        long[] nanos = new long[5];
        LoadedModel<T> loaded = null;
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            loaded = ModelLoader.load(dir, type);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "%-10s %s: %,d bytes, load (verify + deserialize) median %.1f ms%n",
                name, loaded.id(), loaded.sizeBytes(), nanos[nanos.length / 2] / 1e6);
    }

    private double throughput(RichMapFunction<Long, Double> scorer) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism);
        env.fromSequence(0, vectors - 1).map(scorer).sinkTo(new DiscardingSink<>());
        JobExecutionResult result = env.execute("bench-ml");
        return vectors / (result.getNetRuntime() / 1000.0);
    }

    /** Scores a pool of feature vectors of simulated windows, round-robin. */
    static final class ScoreAnomaly extends RichMapFunction<Long, Double> {
        private final String dir;
        private transient AnomalyDetector detector;
        private transient double[][] pool;

        ScoreAnomaly(String dir) {
            this.dir = dir;
        }

        @Override
        public void open(OpenContext context) throws Exception {
            detector = ModelLoader.load(Path.of(dir), AnomalyDetector.class).model();
            pool = new AnomalyModelTraining(1, Duration.ofMinutes(10), AnomalyTrainer.defaults()).normalVectors(7, null)
                    .toArray(new double[0][]);
        }

        @Override
        public Double map(Long n) {
            return detector.score(pool[(int) (n % pool.length)]).score();
        }
    }

    /** Scores a pool of simulated users' feature vectors, round-robin. */
    static final class ScoreTargeting extends RichMapFunction<Long, Double> {
        private final String dir;
        private transient TargetingModel model;
        private transient double[][] pool;

        ScoreTargeting(String dir) {
            this.dir = dir;
        }

        @Override
        public void open(OpenContext context) throws Exception {
            model = ModelLoader.load(Path.of(dir), TargetingModel.class).model();
            pool = PastRollouts.generate(7, 1_000).x();
        }

        @Override
        public Double map(Long n) {
            return model.score(pool[(int) (n % pool.length)]);
        }
    }
}
