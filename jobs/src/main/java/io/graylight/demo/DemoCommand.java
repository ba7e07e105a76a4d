package io.graylight.demo;

import io.graylight.cli.DurationConverter;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.json.Json;
import io.graylight.contracts.metrics.CohortMetrics;
import io.graylight.contracts.telemetry.DeadLetter;
import io.graylight.elasticsearch.DemoElasticsearch;
import io.graylight.embedded.EmbeddedFlink;
import io.graylight.embedded.EmbeddedKafka;
import io.graylight.options.JobOptions;
import io.graylight.report.DemoReport;
import io.graylight.metrics.TelemetryMetricsJob;
import io.graylight.mockllm.MockFaults;
import io.graylight.router.embedded.RouterStack;
import io.graylight.rollout.RolloutDecisionJob;
import io.graylight.simulator.Fault;
import io.graylight.simulator.KafkaRecordSink;
import io.graylight.simulator.RealtimePacer;
import io.graylight.simulator.SimulatedRecord;
import io.graylight.simulator.SimulationConfig;
import io.graylight.simulator.TrafficSimulator;
import io.graylight.sink.Topics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code graylight demo}: everything embedded in one JVM — a Kafka KRaft broker, a Flink
 * MiniCluster running the job suite, the router with two mock LLMs, and simulated users from the
 * Azure trace calling it ({@link RouterTraffic}) — with a live per-cohort table. The router picks
 * the cohorts and writes the telemetry, and follows the decisions: the loop closes through Kafka.
 * {@code --no-router} writes simulated telemetry straight to Kafka instead (the faults the mock
 * LLM cannot inject). Stops after {@code --duration} or on Ctrl-C, and exits 0 if metrics flowed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run Graylight embedded (in-JVM Kafka, Flink MiniCluster with the metrics and decision jobs,",
                "the router with a baseline and a canary mock LLM, simulated users calling it) and watch a rollout."},
        footer = {"", "Examples:",
                "  graylight demo                        # a healthy canary: promoted stage by stage to 100 %",
                "  graylight demo --scenario regression  # the canary starts failing: rolled back",
                "  graylight demo --fault latency=1.8@45s --duration 3m"})
public final class DemoCommand implements Callable<Integer> {

    /** What the canary does. */
    enum Scenario { healthy, regression }

    @Option(names = "--scenario", defaultValue = "healthy",
            description = "healthy (promoted to 100 %%) or regression (errors from 60 s: rolled back); default ${DEFAULT-VALUE}.")
    Scenario scenario;

    @Option(names = "--duration", defaultValue = "4m", converter = DurationConverter.class,
            description = "Longest run; it ends sooner once the rollout completes or rolls back (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--plan", paramLabel = "PLAN.yaml",
            description = "Rollout plan (default rollouts/demo-router.yaml, with --no-router rollouts/demo.yaml).")
    Path plan;

    @Option(names = "--rate-factor", defaultValue = "40",
            description = "Traffic as a multiple of the Azure trace's rate (~2.4 req/s); default ${DEFAULT-VALUE}.")
    double rateFactor;

    @Option(names = "--fault", paramLabel = "SPEC",
            description = "Inject a canary fault, e.g. error_rate=0.05@60s, latency=1.8@30s, silence@45s (repeatable).")
    List<String> faults = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "7", description = "Simulation seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--window", defaultValue = "10s", converter = DurationConverter.class,
            description = "Metrics window (default ${DEFAULT-VALUE}).")
    Duration window;

    @Option(names = "--refresh", defaultValue = "3s", converter = DurationConverter.class,
            description = "Table refresh interval (default ${DEFAULT-VALUE}).")
    Duration refresh;

    @Option(names = "--elasticsearch", arity = "0..1", fallbackValue = DemoElasticsearch.LOCAL, paramLabel = "URL",
            description = "Also index metrics, alerts, decisions and DLQ summaries into Elasticsearch: URL, or none to use"
                    + " scripts/elasticsearch's node or start one.")
    String elasticsearch;

    @Option(names = "--no-ansi", description = "Plain output (no screen clearing or colour), e.g. for logs and CI.")
    boolean noAnsi;

    @Option(names = "--no-router", description = {"Write simulated telemetry straight to Kafka and follow the decisions in the simulator",
            "(the old mode; needed for the quality_drop, negative_feedback, cost, ttft and silence faults)",
            "instead of sending HTTP calls through the router to two mock LLMs."})
    boolean noRouter;

    /** Most calls open at once in router mode; beyond it a call is skipped and counted. */
    static final int MAX_IN_FLIGHT = 256;

    /** The last router-mode run, for tests: its counters and the ROLLBACK check. */
    RouterTraffic routerTraffic;
    Long canaryCallsAfterRollback;
    CohortBoard lastBoard;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        List<Fault> parsedFaults = new ArrayList<>(faults.stream().map(Fault::parse).toList());
        if (scenario == Scenario.regression && parsedFaults.isEmpty()) {
            parsedFaults.add(Fault.parse("error_rate=0.12@60s"));
        }
        if (!noRouter) {
            List<String> unsupported = parsedFaults.stream().filter(f -> !RouterTraffic.SUPPORTED.contains(f.kind()))
                    .map(Fault::spec).toList();
            if (!unsupported.isEmpty()) {
                System.err.println("demo: the mock LLM behind the router cannot inject " + unsupported
                        + " (only error_rate, latency, tail_stalls); add --no-router to simulate it as telemetry.");
                return 2;
            }
        }
        Path planFile = plan != null ? plan
                : Path.of(System.getProperty("graylight.home", "."), "rollouts", noRouter ? "demo.yaml" : "demo-router.yaml");
        boolean ansi = !noAnsi && System.console() != null;
        Topics topics = Topics.defaults();
        CohortBoard board = new CohortBoard();
        lastBoard = board;
        CountDownLatch stopped = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        Thread onCtrlC = new Thread(() -> {
            main.interrupt();
            awaitQuietly(stopped, Duration.ofSeconds(20));
        }, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(onCtrlC);

        out.println("Graylight demo: starting Kafka (KRaft, in this JVM)...");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            createTopics(kafka, topics);
            out.println("                starting Flink (MiniCluster) with the metrics and decision jobs...");
            try (EmbeddedFlink flink = EmbeddedFlink.start(elasticsearch != null ? 7 : 6)) {
                JobOptions options = JobOptions.defaults()
                        .withBootstrapServers(kafka.bootstrapServers())
                        .withWindow(window, window)
                        .withPlans(List.of(planFile.toString()));
                var metricsEnv = EmbeddedFlink.environment(2, Duration.ofSeconds(1));
                TelemetryMetricsJob.forKafka(options).build(metricsEnv);
                JobID metricsJob = flink.submit(metricsEnv, TelemetryMetricsJob.NAME);
                var decisionsEnv = EmbeddedFlink.environment(2, Duration.ofSeconds(1));
                RolloutDecisionJob.forKafka(options, null).build(decisionsEnv);
                JobID decisionJob = flink.submit(decisionsEnv, RolloutDecisionJob.NAME);
                io.graylight.cep.job.DemoAlerts.submit(kafka, flink, options, out); // CEP rules from cep-rules/ -> alerts
                DemoElasticsearch indexing = elasticsearch == null ? null
                        : DemoElasticsearch.start(elasticsearch, flink, options, out);
                out.println("                Flink web UI: " + flink.webUi());
                out.println("                Kafka: " + kafka.bootstrapServers() + "   logs: "
                        + System.getProperty("graylight.log.file", "target/graylight.log"));

                List<CohortMetrics> windows = new java.util.concurrent.CopyOnWriteArrayList<>(); // for the report
                try (TopicFollower metrics = new TopicFollower(kafka.bootstrapServers(), List.of(topics.metrics()),
                                r -> {
                                    CohortMetrics window = Json.fromBytes(r.value(), CohortMetrics.class);
                                    board.onMetrics(window);
                                    windows.add(window);
                                });
                        TopicFollower deadLetters = new TopicFollower(kafka.bootstrapServers(), List.of(topics.deadLetters()),
                                r -> board.onDeadLetter(Json.fromBytes(r.value(), DeadLetter.class).reason()));
                        TopicFollower decisions = new TopicFollower(kafka.bootstrapServers(), List.of(topics.decisions()),
                                r -> board.onDecision(Json.fromBytes(r.value(), DecisionRecord.class)))) {
                    // The router first: the simulation's clock starts when it can take calls, not before.
                    RouterStack stack = noRouter ? null : RouterStack.start(kafka.bootstrapServers(), topics.prefix(),
                            SimulationConfig.builder().build().releases(), MOCK_TTFT_MS, MOCK_PER_TOKEN_MS, false, null);
                    if (stack != null) {
                        awaitReady(stack.routerUrl() + "/readyz", Duration.ofSeconds(60));
                    }
                    Instant start = Instant.now();
                    SimulationConfig simulation = SimulationConfig.builder()
                            .seed(seed)
                            .start(start)
                            .rateFactor(rateFactor)
                            .duration(duration.plusMinutes(1))
                            // In router mode the mock LLM carries the faults and the router picks the cohorts.
                            .faults(noRouter ? parsedFaults : List.of())
                            .build();
                    AtomicLong sent = new AtomicLong();
                    RouterTraffic traffic = null;
                    java.util.concurrent.ScheduledExecutorService faultClock = null;
                    Thread trafficThread;
                    if (noRouter) {
                        trafficThread = startTraffic(new TrafficSimulator(simulation).followingCanaryPercent(board::canaryPercent),
                                kafka.bootstrapServers(), topics, sent);
                    } else {
                        out.println("                router: " + stack.routerUrl() + "  (baseline v1 " + stack.baseline().url()
                                + ", canary v2 " + stack.canary().url() + ")");
                        faultClock = scheduleFaults(stack, parsedFaults, start);
                        traffic = new RouterTraffic(stack.routerUrl(), MAX_IN_FLIGHT);
                        routerTraffic = traffic;
                        trafficThread = traffic.start(new TrafficSimulator(simulation).eventsOnly(), out);
                    }
                    try {
                        watch(board, start, parsedFaults, sent, traffic, ansi);
                    } finally {
                        trafficThread.interrupt();
                        trafficThread.join(5_000);
                        if (faultClock != null) {
                            faultClock.shutdownNow();
                        }
                        if (traffic != null) {
                            traffic.close();
                        }
                        if (stack != null) {
                            stack.close();
                        }
                        flink.cancel(metricsJob);
                        flink.cancel(decisionJob);
                        if (indexing != null) {
                            indexing.close();
                        }
                    }
                    if (traffic != null) {
                        printRouterSummary(board, traffic);
                    }
                    printSummary(board, traffic == null ? sent.get() : traffic.requests.get() + traffic.feedback.get());
                    DemoReport.write(board.decisions(), windows, out);
                }
            }
        } finally {
            stopped.countDown();
            if (!Thread.currentThread().isInterrupted()) {
                removeHook(onCtrlC);
            }
        }
        if (board.windowsSeen() == 0 || board.decisions().isEmpty()) {
            out.println("No metrics window or no decision came out: something is wrong; see the log file.");
            return 1;
        }
        return 0;
    }

    private static void createTopics(EmbeddedKafka kafka, Topics topics) throws Exception {
        kafka.createTopics(2, topics.telemetry(), topics.deadLetters(), topics.metrics(), topics.alerts(), topics.commands());
        kafka.createTopics(2, true, topics.decisions(), topics.targeting());
    }

    /** Sends simulated telemetry to Kafka when its event time comes, until interrupted. */
    private Thread startTraffic(TrafficSimulator simulation, String bootstrap, Topics topics, AtomicLong sent) {
        Thread thread = new Thread(() -> {
            RealtimePacer pacer = RealtimePacer.systemClock();
            try (KafkaRecordSink sink = new KafkaRecordSink(bootstrap, topics.telemetry())) {
                for (SimulatedRecord record : simulation) {
                    pacer.awaitEventTime(record.eventTimeMillis());
                    sink.write(record);
                    sent.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                if (!Thread.currentThread().isInterrupted()) {
                    out.println("traffic stopped: " + e);
                }
            }
        }, "demo-traffic");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void watch(CohortBoard board, Instant start, List<Fault> faults, AtomicLong sent, RouterTraffic traffic, boolean ansi) {
        Instant end = start.plus(duration);
        try {
            while (Instant.now().isBefore(end)) {
                TimeUnit.MILLISECONDS.sleep(Math.min(refresh.toMillis(), Math.max(1, Duration.between(Instant.now(), end).toMillis())));
                render(board, start, faults, sent.get(), traffic, ansi);
                if (board.rolloutsEnded() && end.isAfter(Instant.now().plus(refresh.multipliedBy(2)))) {
                    end = Instant.now().plus(refresh.multipliedBy(2)); // show the outcome, then stop
                }
            }
        } catch (InterruptedException e) {
            out.println("\nInterrupted: shutting down.");
        }
    }

    private void render(CohortBoard board, Instant start, List<Fault> faults, long sent, RouterTraffic traffic, boolean ansi) {
        Duration elapsed = Duration.between(start, Instant.now());
        StringBuilder screen = new StringBuilder();
        if (ansi) {
            screen.append("\u001b[H\u001b[2J");
        } else {
            screen.append(System.lineSeparator());
        }
        screen.append(String.format(Locale.ROOT, "Graylight demo (%s)  t+%s / %s   %s   faults: %s%n%n",
                scenario, clock(elapsed), clock(duration),
                traffic == null ? String.format(Locale.ROOT, "telemetry sent: %,d", sent) : "through the router: " + traffic.counters(),
                faults.isEmpty() ? "none" : faults.stream().map(Fault::spec).toList()));
        screen.append(board.render(ansi));
        if (traffic != null) {
            // The router's actual split, next to the decision it follows.
            screen.append(String.format(Locale.ROOT, "Router served since last refresh: %s   decision: %s%n",
                    traffic.recentSplit(), board.decisions().isEmpty() ? "none yet"
                            : board.decisions().get(board.decisions().size() - 1).action() + " "
                            + board.decisions().get(board.decisions().size() - 1).canaryPercent() + " %"));
        }
        if (ansi) {
            screen.append(System.lineSeparator()).append("Ctrl-C to stop.").append(System.lineSeparator());
        }
        out.print(screen);
        out.flush();
    }

    private void printSummary(CohortBoard board, long sent) {
        out.println();
        out.printf(Locale.ROOT, "Summary: %,d %s, %d metric windows received.%n", sent,
                noRouter ? "telemetry records sent" : "calls and feedback sent to the router", board.windowsSeen());
        board.summary().forEach(line -> out.println("  " + line));
        out.println("Decisions:");
        board.decisions().forEach(d -> out.println(CohortBoard.describe(d)));
    }

    /** Mock LLM latency model: time to first token, then per output token (ms). */
    static final double MOCK_TTFT_MS = 40;
    static final double MOCK_PER_TOKEN_MS = 0.5;
    /** How long a tail_stalls stall holds a call before its first byte. */
    static final long STALL_MS = 15_000;

    /** Puts each fault on the mock upstreams when its start comes ({@code :both} also on the baseline's). */
    private static java.util.concurrent.ScheduledExecutorService scheduleFaults(RouterStack stack, List<Fault> faults, Instant start) {
        var clock = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-faults");
            t.setDaemon(true);
            return t;
        });
        for (Fault fault : faults) {
            long delay = Math.max(0, Duration.between(Instant.now(), start.plus(fault.start())).toMillis());
            clock.schedule(() -> {
                Duration now = Duration.between(start, Instant.now()).plusMillis(1);
                stack.setCanaryFaults(mockFaults(faults, now, false));
                stack.baseline().setFaults(mockFaults(faults, now, true));
            }, delay, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return clock;
    }

    /** The mock faults of the faults started by {@code elapsed}, for the canary or (baselineOnly) the baseline. */
    static MockFaults mockFaults(List<Fault> faults, Duration elapsed, boolean baseline) {
        MockFaults mock = MockFaults.NONE;
        for (Fault fault : faults) {
            if (fault.start().compareTo(elapsed) > 0 || (baseline && fault.target() != Fault.Target.BOTH)) {
                continue;
            }
            mock = switch (fault.kind()) {
                case ERROR_RATE -> mock.withErrorRate(Math.min(1, mock.errorRate() + fault.magnitude()));
                case LATENCY -> mock.withSlowFactor(mock.slowFactor() * fault.magnitude());
                case TAIL_STALLS -> mock.withStalls(Math.min(1, mock.stallRate() + fault.magnitude()), STALL_MS);
                default -> throw new IllegalArgumentException("not a mock fault: " + fault.spec());
            };
        }
        return mock;
    }

    private void printRouterSummary(CohortBoard board, RouterTraffic traffic) {
        out.println();
        out.printf(Locale.ROOT, "Router: served %s; %s.%n", traffic.servedByCohort(), traffic.counters());
        DecisionRecord rollback = board.decisions().stream().filter(d -> d.action() == io.graylight.contracts.decision.Action.ROLLBACK)
                .findFirst().orElse(null);
        if (rollback != null) {
            Instant after = rollback.emittedAt().plusSeconds(1);
            canaryCallsAfterRollback = traffic.canaryCallsSentAfter(after);
            out.printf(Locale.ROOT, "After ROLLBACK (emitted %s): canary calls sent after emittedAt + 1 s: %d%s%n",
                    rollback.emittedAt(), canaryCallsAfterRollback, canaryCallsAfterRollback == 0 ? " (traffic back on the baseline)" : " (expected 0!)");
        }
    }

    /** Waits until the router has read the control topics ({@code /readyz} 200), so that no early call is refused. */
    private static void awaitReady(String readyz, Duration timeout) throws InterruptedException {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            try {
                var response = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(readyz)).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new IllegalStateException("the router did not become ready within " + timeout + ": " + readyz);
    }

    private static String clock(Duration d) {
        return String.format(Locale.ROOT, "%02d:%02d", d.toMinutes(), d.toSecondsPart());
    }

    private static void awaitQuietly(CountDownLatch latch, Duration timeout) {
        try {
            latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }
}
