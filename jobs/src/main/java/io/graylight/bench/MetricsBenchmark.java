package io.graylight.bench;

import io.graylight.contracts.metrics.CohortMetrics;
import io.graylight.contracts.telemetry.DeadLetter;
import io.graylight.options.JobOptions;
import io.graylight.metrics.TelemetryMetricsJob;
import io.graylight.simulator.SimulatedRecord;
import io.graylight.simulator.SimulationConfig;
import io.graylight.simulator.TrafficSimulator;
import io.graylight.telemetry.TelemetryRecord;
import io.graylight.telemetry.TelemetrySources;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Throughput of the metrics job next to a pass-through job (parse, validate, discard) on the same
 * simulated telemetry, both on a MiniCluster at the same parallelism, fed as fast as possible from
 * files (one per source subtask). The ratio says what de-duplication and windowing cost.
 */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "Events/s of the metrics job vs a parse-and-discard job on the same input.")
public final class MetricsBenchmark implements Callable<Integer> {

    @Option(names = "--events", defaultValue = "2000000", description = "Telemetry records to generate (default ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--parallelism", defaultValue = "2", description = "Job parallelism (default ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--runs", defaultValue = "2", description = "Timed runs of each job; the best is reported (default ${DEFAULT-VALUE}).")
    int runs;

    @Override
    public Integer call() throws Exception {
        Path input = Files.createTempDirectory("graylight-bench-metrics");
        try {
            generate(input);
            double passThrough = 0;
            double metrics = 0;
            for (int run = 1; run <= runs; run++) {
                passThrough = Math.max(passThrough, eventsPerSecond(runPassThrough(input)));
                metrics = Math.max(metrics, eventsPerSecond(runMetricsJob(input)));
                System.out.printf(Locale.ROOT, "run %d/%d done%n", run, runs);
            }
            System.out.printf(Locale.ROOT, "%nevents: %,d   parallelism: %d   cores: %d%n",
                    events, parallelism, Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "pass-through (parse + discard): %,12.0f events/s%n", passThrough);
            System.out.printf(Locale.ROOT, "metrics job:                    %,12.0f events/s%n", metrics);
            System.out.printf(Locale.ROOT, "ratio metrics / pass-through:   %12.2f%n", metrics / passThrough);
            return 0;
        } finally {
            try (Stream<Path> files = Files.walk(input)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** One file per source subtask, records dealt round-robin, so every subtask has a split to read. */
    private void generate(Path dir) throws IOException {
        SimulationConfig config = SimulationConfig.builder().seed(1).maxEvents(events).rateFactor(50).build();
        OutputStream[] files = new OutputStream[parallelism];
        for (int i = 0; i < parallelism; i++) {
            files[i] = new BufferedOutputStream(Files.newOutputStream(dir.resolve("telemetry-" + i + ".jsonl")), 1 << 20);
        }
        try (ProgressBar progress = new ProgressBar("simulating telemetry", events)) {
            Iterator<SimulatedRecord> records = new TrafficSimulator(config).iterator();
            for (long n = 0; records.hasNext(); n++) {
                OutputStream out = files[(int) (n % parallelism)];
                out.write(records.next().bytes());
                out.write('\n');
                progress.step();
            }
        } finally {
            for (OutputStream out : files) {
                out.close();
            }
        }
    }

    private JobExecutionResult runPassThrough(Path input) throws Exception {
        StreamExecutionEnvironment env = environment();
        env.fromSource(source(input), WatermarkStrategy.noWatermarks(), "telemetry")
                .sinkTo(new DiscardingSink<>());
        return env.execute("bench-pass-through");
    }

    private JobExecutionResult runMetricsJob(Path input) throws Exception {
        StreamExecutionEnvironment env = environment();
        new TelemetryMetricsJob(source(input), new DiscardingSink<CohortMetrics>(), new DiscardingSink<DeadLetter>(),
                JobOptions.defaults()).build(env);
        return env.execute("bench-metrics");
    }

    private StreamExecutionEnvironment environment() {
        return StreamExecutionEnvironment.createLocalEnvironment(parallelism);
    }

    private static FileSource<TelemetryRecord> source(Path input) throws IOException {
        try (Stream<Path> files = Files.list(input)) {
            return TelemetrySources.files(files.sorted().toList());
        }
    }

    private double eventsPerSecond(JobExecutionResult result) {
        return events / (result.getNetRuntime() / 1000.0);
    }
}
