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
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code graylight bench cep}: events/s through the alert job (with the metrics windows that
 * metrics rules need) with the shipped rules and with N copies of them, on simulated telemetry
 * that carries faults (so rules match and hold partial matches), and the checkpointed state size
 * over the run, to show it stays bounded.
 *
 * <p>The long run (shipped rules, {@code --events}) shows the state size at several points; the
 * copies run reads the first {@code --copies-events} records of the same input (every copy is one
 * more CEP operator per rule, so it is the heavy one). Events/s of the two compare per event.
 */
@Command(name = "cep", mixinStandardHelpOptions = true,
        description = "Alert-job throughput with the shipped CEP rules and with N copies; state size over a long run.")
public final class CepBenchmark implements Callable<Integer> {

    @Option(names = "--events", defaultValue = "100000",
            description = "Telemetry records of the long run with the shipped rules (default ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--copies", defaultValue = "50", description = "Copies of the rule set in the second run (default ${DEFAULT-VALUE}).")
    int copies;

    @Option(names = "--copies-events", defaultValue = "5000",
            description = "Telemetry records of the copies run: the first ones of the same input (default ${DEFAULT-VALUE}).")
    long copiesEvents;

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
        try (EmbeddedFlink flink = EmbeddedFlink.start(parallelism, networkMemory(rules.size() * Math.max(1, copies), parallelism))) {
            generate(input);
            Result shipped = run(flink, input.resolve("long.jsonl"), events, rules, "shipped rules (" + rules.size() + ")");
            Result many = run(flink, input.resolve("short.jsonl"), Math.min(events, copiesEvents), copies(rules, copies),
                    copies + " copies (" + rules.size() * copies + " rules)");
            System.out.printf(Locale.ROOT, "%nparallelism: %d   cores: %d   load average: %s (figures depend on the machine and its load)%n",
                    parallelism, Runtime.getRuntime().availableProcessors(), loadAverage());
            for (Result r : List.of(shipped, many)) {
                System.out.printf(Locale.ROOT, "%-26s %,9d events %,10.0f events/s   %,7d alerts%n",
                        r.name, r.events, r.eventsPerSecond, r.alerts);
            }
            System.out.printf(Locale.ROOT, "x%d rules -> x%.2f time per event (events/s shipped / events/s copies)%n",
                    copies, shipped.eventsPerSecond / many.eventsPerSecond);
            System.out.printf(Locale.ROOT, "checkpointed state over the long run (%s):%n", shipped.name);
            shipped.stateTable().forEach(System.out::println);
            return 0;
        } finally {
            try (Stream<Path> files = Files.walk(input)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Network memory for a run of {@code rules} rules. The rules' CEP operators share one task per subtask
     * (see AlertJob), but each still sends its alerts to the cooldown over its own exchange, and every
     * exchange takes buffers when its task is deployed: at least 8 per rule and subtask (3 to send, 5 to
     * receive), twice that here so they also get floating ones. A plain MiniCluster's 64 MiB (2,048
     * buffers) is short of that from about 100 rules: the job then fails at deployment ("Insufficient
     * number of network buffers").
     */
    static MemorySize networkMemory(int rules, int parallelism) {
        long buffers = 2_048L + 16L * rules * parallelism;
        return new MemorySize(buffers * MemorySize.parse("32kb").getBytes());
    }

    /** A completed checkpoint: its size, and how many input records had been read when it was seen. */
    record StatePoint(long eventsRead, long bytes) {}

    record Result(String name, long events, double eventsPerSecond, long alerts, List<StatePoint> state) {
        String stateSizes() {
            if (state.isEmpty()) {
                return "no checkpoint completed";
            }
            int n = state.size();
            return String.format(Locale.ROOT, "first %s, middle %s, last %s, max %s (%d checkpoints)", kb(state.get(0).bytes()),
                    kb(state.get(n / 2).bytes()), kb(state.get(n - 1).bytes()), kb(state.stream().mapToLong(StatePoint::bytes).max().orElse(0)), n);
        }

        /** About eight checkpoints spread over the run: events read so far, state size. */
        List<String> stateTable() {
            if (state.isEmpty()) {
                return List.of("  no checkpoint completed");
            }
            List<String> rows = new ArrayList<>();
            int n = state.size();
            int shown = Math.min(n, 8);
            int last = -1;
            for (int i = 0; i < shown; i++) {
                int at = shown == 1 ? n - 1 : (int) Math.round(i * (n - 1) / (double) (shown - 1));
                if (at == last) {
                    continue;
                }
                last = at;
                StatePoint p = state.get(at);
                rows.add(String.format(Locale.ROOT, "  after %,9d events (%3.0f %%): %s", p.eventsRead(),
                        100.0 * p.eventsRead() / Math.max(1, events), kb(p.bytes())));
            }
            rows.add(String.format(Locale.ROOT, "  max %s over %d checkpoints", kb(state.stream().mapToLong(StatePoint::bytes).max().orElse(0)), n));
            return rows;
        }

        static String kb(long bytes) {
            return String.format(Locale.ROOT, "%,d KiB", bytes / 1024);
        }
    }

    /** {@code copies} copies of the rule set, ids suffixed {@code -cN} (so each is one more CEP operator per rule). */
    public static List<Rule> copies(List<Rule> rules, int copies) {
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
        long shortRun = Math.min(events, copiesEvents);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("long.jsonl")), 1 << 20);
                OutputStream prefix = new BufferedOutputStream(Files.newOutputStream(dir.resolve("short.jsonl")), 1 << 20);
                ProgressBar progress = new ProgressBar("simulating telemetry", events)) {
            SimulationConfig config = SimulationConfig.builder().seed(7).releases(List.of("chat", "search"))
                    .canaryPercent(25).rateFactor(20).maxEvents(events)
                    .faults(List.of(Fault.parse("error_rate=0.3@10m"), Fault.parse("latency=2@20m"))).build();
            long n = 0;
            for (SimulatedRecord record : new TrafficSimulator(config)) {
                out.write(record.bytes());
                out.write('\n');
                if (n++ < shortRun) {
                    prefix.write(record.bytes());
                    prefix.write('\n');
                }
                progress.step();
            }
        }
    }

    private Result run(EmbeddedFlink flink, Path input, long events, List<Rule> rules, String name) throws Exception {
        StreamExecutionEnvironment env = EmbeddedFlink.environment(parallelism, Duration.ofSeconds(2));
        // A failing job must end the benchmark with its cause, not restart unseen behind a stalled bar.
        env.configure(new org.apache.flink.configuration.Configuration().set(
                org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY, "none"));
        AlertCounter counter = new AlertCounter();
        String progressId = io.graylight.replay.ReplayProgress.register();
        AlertRuns.onFiles(env, rules, List.of(input), progressId, null, new DiscardingSink<>(),
                JobOptions.defaults())
                .map(counter).name("count-alerts").sinkTo(new DiscardingSink<>()).name("bench-discard");
        long submitted = System.nanoTime();
        JobID job = flink.submit(env, "bench-cep");
        // Timed from the first record read: starting a job with hundreds of CEP operators is not throughput.
        long started = 0;
        List<StatePoint> sizes = new ArrayList<>();
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
                    sizes.add(new StatePoint(io.graylight.replay.ReplayProgress.read(progressId),
                            latest.path("state_size").asLong(latest.path("checkpointed_size").asLong())));
                }
                long read = io.graylight.replay.ReplayProgress.read(progressId);
                if (started == 0 && read > 0) {
                    started = System.nanoTime();
                }
                progress.stepTo(Math.min(events, read)); // records read
                if (state.isGloballyTerminalState()) {
                    if (state != JobStatus.FINISHED) {
                        // the deepest cause: the first line says only that restarts are off
                        String trace = Json.MAPPER.readTree(get(http, base.resolve("/jobs/" + job + "/exceptions")))
                                .path("root-exception").asText("");
                        String root = trace.lines().filter(l -> l.startsWith("Caused by: ")).reduce((a, b) -> b)
                                .orElse(trace.lines().findFirst().orElse("no cause reported"));
                        throw new IllegalStateException("benchmark job " + state + ": " + root);
                    }
                    progress.stepTo(events);
                    break;
                }
                Thread.sleep(started == 0 ? 50 : 500);
            }
        }
        io.graylight.replay.ReplayProgress.unregister(progressId);
        long ended = System.nanoTime();
        double seconds = (ended - (started == 0 ? submitted : started)) / 1e9;
        Result result = new Result(name, events, events / seconds, AlertCounter.count(), sizes);
        // printed at once: a long second run should not hide the first one's figures
        System.out.printf(Locale.ROOT, "%s: %,.0f events/s (%,d events in %.1f s after %.1f s of job start-up), %,d alerts,"
                + " checkpointed state %s%n", name, result.eventsPerSecond(), events, seconds,
                ((started == 0 ? ended : started) - submitted) / 1e9, result.alerts(), result.stateSizes());
        return result;
    }

    private static String loadAverage() {
        try {
            return String.join(" ", List.of(Files.readString(Path.of("/proc/loadavg")).strip().split(" ")).subList(0, 3));
        } catch (java.io.IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
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
