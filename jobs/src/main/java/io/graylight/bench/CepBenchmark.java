package io.graylight.bench;

import io.graylight.cep.job.AlertRuns;
import io.graylight.cep.rules.Rule;
import io.graylight.cep.rules.RuleException;
import io.graylight.cep.rules.RuleParser;
import io.graylight.contracts.json.Json;
import io.graylight.embedded.EmbeddedFlink;
import io.graylight.options.JobOptions;
import io.graylight.simulator.Fault;
import io.graylight.simulator.SimulatedRecord;
import io.graylight.simulator.SimulationConfig;
import io.graylight.simulator.TrafficSimulator;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code graylight bench cep}: events/s through the alert job (with the metrics windows that
 * metrics rules need) with the shipped rules and with N copies of them, on simulated telemetry
 * that carries faults (so rules match and hold partial matches), and the checkpointed state size
 * over the run, to show it stays bounded.
 */
@Command(name = "cep", mixinStandardHelpOptions = true,
        description = "Alert-job throughput with the shipped CEP rules and with N copies; state size over a long run.")
public final class CepBenchmark implements Callable<Integer> {

    @Option(names = "--events", defaultValue = "1000000", description = "Telemetry records (default ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--copies", defaultValue = "50", description = "Copies of the rule set in the second run (default ${DEFAULT-VALUE}).")
    int copies;

    @Option(names = "--parallelism", defaultValue = "2", description = "Job parallelism (default ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--rules", defaultValue = "cep-rules", description = "Rule directory (default ${DEFAULT-VALUE}).")
    Path rulesDir;

    @Override
    public Integer call() throws Exception {
        Path dir = rulesDir.isAbsolute() || Files.isDirectory(rulesDir) ? rulesDir
                : Path.of(System.getProperty("graylight.home", "."), rulesDir.toString());
        List<Rule> rules;
        try {
            rules = RuleParser.parseDirectory(dir);
        } catch (RuleException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Path input = Files.createTempDirectory("graylight-bench-cep");
        try (EmbeddedFlink flink = EmbeddedFlink.start(parallelism)) {
            generate(input);
            Result shipped = run(flink, input, rules, "shipped rules (" + rules.size() + ")");
            Result many = run(flink, input, copies(rules, copies), copies + " copies (" + rules.size() * copies + " rules)");
            System.out.printf(Locale.ROOT, "%nevents: %,d   parallelism: %d   cores: %d (figures depend on the machine and its load)%n",
                    events, parallelism, Runtime.getRuntime().availableProcessors());
            for (Result r : List.of(shipped, many)) {
                System.out.printf(Locale.ROOT, "%-26s %,10.0f events/s   %,7d alerts   checkpointed state: %s%n",
                        r.name, r.eventsPerSecond, r.alerts, r.stateSizes());
            }
            System.out.printf(Locale.ROOT, "cost per rule: x%.1f rules -> x%.2f time%n", (double) copies,
                    shipped.eventsPerSecond / many.eventsPerSecond);
            return 0;
        } finally {
            try (Stream<Path> files = Files.walk(input)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    record Result(String name, double eventsPerSecond, long alerts, List<Long> stateBytes) {
        String stateSizes() {
            if (stateBytes.isEmpty()) {
                return "no checkpoint completed";
            }
            int n = stateBytes.size();
            return String.format(Locale.ROOT, "first %s, middle %s, last %s, max %s (%d checkpoints)", kb(stateBytes.get(0)),
                    kb(stateBytes.get(n / 2)), kb(stateBytes.get(n - 1)), kb(stateBytes.stream().mapToLong(x -> x).max().orElse(0)), n);
        }

        static String kb(long bytes) {
            return String.format(Locale.ROOT, "%,d KiB", bytes / 1024);
        }
    }

    static List<Rule> copies(List<Rule> rules, int copies) {
        List<Rule> out = new ArrayList<>();
        for (int c = 0; c < copies; c++) {
            for (Rule r : rules) {
                out.add(new Rule(r.id() + "-c" + c, r.description(), r.severity(), r.effect(), r.dryRun(), r.input(), r.cohorts(),
                        r.releases(), r.filter(), r.key(), r.params(), r.steps(), r.within(), r.afterMatch(), r.cooldown(),
                        r.holdFor(), r.message(), r.values(), r.source()));
            }
        }
        return out;
    }

    /** Two releases, each with a different canary fault from minute 10, so rules match and fire. */
    private void generate(Path dir) throws Exception {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("telemetry.jsonl")), 1 << 20);
                ProgressBar progress = new ProgressBar("simulating telemetry", events)) {
            SimulationConfig config = SimulationConfig.builder().seed(7).releases(List.of("chat", "search"))
                    .canaryPercent(25).rateFactor(20).maxEvents(events)
                    .faults(List.of(Fault.parse("error_rate=0.3@10m"), Fault.parse("latency=2@20m"))).build();
            for (SimulatedRecord record : new TrafficSimulator(config)) {
                out.write(record.bytes());
                out.write('\n');
                progress.step();
            }
        }
    }

    private Result run(EmbeddedFlink flink, Path input, List<Rule> rules, String name) throws Exception {
        StreamExecutionEnvironment env = EmbeddedFlink.environment(parallelism, Duration.ofSeconds(2));
        AlertCounter counter = new AlertCounter();
        String progressId = io.graylight.replay.ReplayProgress.register();
        AlertRuns.onFiles(env, rules, List.of(input.resolve("telemetry.jsonl")), progressId, null, new DiscardingSink<>(),
                JobOptions.defaults())
                .map(counter).name("count-alerts").sinkTo(new DiscardingSink<>()).name("bench-discard");
        long started = System.nanoTime();
        JobID job = flink.submit(env, "bench-cep");
        List<Long> sizes = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        URI base = flink.webUi();
        long lastId = -1;
        try (ProgressBar progress = new ProgressBar(name, events)) {
            while (true) {
                String status = get(http, base.resolve("/jobs/" + job));
                JobStatus state = JobStatus.valueOf(Json.MAPPER.readTree(status).path("state").asText("RUNNING"));
                var latest = Json.MAPPER.readTree(get(http, base.resolve("/jobs/" + job + "/checkpoints"))).path("latest").path("completed");
                if (!latest.isMissingNode() && latest.path("id").asLong() != lastId) {
                    lastId = latest.path("id").asLong();
                    sizes.add(latest.path("state_size").asLong(latest.path("checkpointed_size").asLong()));
                }
                progress.stepTo(io.graylight.replay.ReplayProgress.read(progressId)); // events read by the CEP side
                if (state.isGloballyTerminalState()) {
                    if (state != JobStatus.FINISHED) {
                        throw new IllegalStateException("benchmark job " + state);
                    }
                    progress.stepTo(events);
                    break;
                }
                Thread.sleep(500);
            }
        }
        io.graylight.replay.ReplayProgress.unregister(progressId);
        double seconds = (System.nanoTime() - started) / 1e9;
        Result result = new Result(name, events / seconds, AlertCounter.count(), sizes);
        // printed at once: a long second run should not hide the first one's figures
        System.out.printf(Locale.ROOT, "%s: %,.0f events/s (%.1f s), %,d alerts, checkpointed state %s%n",
                name, result.eventsPerSecond(), seconds, result.alerts(), result.stateSizes());
        return result;
    }

    private static String get(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Counts alerts in this JVM (the embedded cluster runs here). */
    static final class AlertCounter implements org.apache.flink.api.common.functions.MapFunction<io.graylight.contracts.alert.Alert, Integer> {
        private static final java.util.concurrent.atomic.AtomicLong COUNT = new java.util.concurrent.atomic.AtomicLong();

        AlertCounter() {
            COUNT.set(0);
        }

        static long count() {
            return COUNT.get();
        }

        @Override
        public Integer map(io.graylight.contracts.alert.Alert alert) {
            COUNT.incrementAndGet();
            return 1;
        }
    }
}
