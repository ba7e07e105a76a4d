package io.graylight.simulator;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.apache.kafka.common.KafkaException;
import io.graylight.cli.DurationConverter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code graylight simulate}: writes simulated cohort-tagged LLM telemetry to a JSON Lines file,
 * stdout or Kafka. See {@link TrafficSimulator} for what is simulated.
 */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Simulate cohort-tagged LLM telemetry, driven by the real Azure LLM inference trace 2023",
            "(CC-BY 4.0, Patel et al., \"Splitwise\", ISCA 2024), with injectable canary faults.",
            "Writes JSON Lines to --out FILE (.gz compressed), to Kafka with --kafka, else to stdout."
        },
        footer = {
            "",
            "Fault SPEC: kind[=magnitude][@start][:both]; kinds: error_rate, latency, tail_stalls, ttft,",
            "  quality_drop, negative_feedback, cost, silence. The start is event time after --start;",
            "  ':both' hits both cohorts (an incident), else only the canary.",
            "",
            "Examples:",
            "  graylight simulate --out telemetry.jsonl.gz --duration 1h --fault error_rate=0.05@10m",
            "  graylight simulate --kafka localhost:9092 --realtime --rate-factor 5 --fault latency=1.8@5m",
        })
public final class SimulateCommand implements Callable<Integer> {

    static final String OUT = "--out";
    static final String KAFKA = "--kafka";
    static final String TOPIC = "--topic";
    static final String REALTIME = "--realtime";
    static final String START = "--start";

    /** Below this many records a progress bar would only flicker. */
    static final long PROGRESS_THRESHOLD = 5_000;

    @Spec
    CommandSpec spec;

    @Option(names = OUT, paramLabel = "FILE", description = "JSON Lines output file; gzip when it ends in .gz.")
    Path out;

    @Option(names = KAFKA, paramLabel = "BOOTSTRAP", description = "Kafka bootstrap servers to send to, e.g. localhost:9092.")
    String kafka;

    @Option(names = TOPIC, paramLabel = "TOPIC", description = "Kafka topic (default: ${DEFAULT-VALUE}).",
            defaultValue = KafkaRecordSink.DEFAULT_TOPIC)
    String topic;

    @Option(names = "--events", paramLabel = "N", description = "Stop after N records (all kinds).")
    Long events;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Event time to simulate, e.g. 90s, 10m, 2h (default: 1h, or unbounded with --events).")
    Duration duration;

    @Option(names = "--rate-factor", paramLabel = "X", defaultValue = "1",
            description = "Trace speed-up: X times the trace's request rate (default: ${DEFAULT-VALUE}).")
    double rateFactor;

    @Option(names = REALTIME, description = "Send each record when its event time comes; event time starts now.")
    boolean realtime;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed; equal options give identical output (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--release", paramLabel = "NAME", description = "Release to simulate; repeat for several (default: chat).")
    List<String> releases = new ArrayList<>();

    @Option(names = "--baseline-version", defaultValue = "v1", description = "Version string of the baseline (default: ${DEFAULT-VALUE}).")
    String baselineVersion;

    @Option(names = "--canary-version", defaultValue = "v2", description = "Version string of the canary (default: ${DEFAULT-VALUE}).")
    String canaryVersion;

    @Option(names = "--canary-percent", paramLabel = "PERCENT", defaultValue = "10",
            description = "Share of users served by the canary, sticky per user (default: ${DEFAULT-VALUE}).")
    double canaryPercent;

    @Option(names = "--users", paramLabel = "N", defaultValue = "2000", description = "Number of simulated users (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--feedback", paramLabel = "PROBABILITY", defaultValue = "0.08",
            description = "Probability that a request gets a thumbs up/down (default: ${DEFAULT-VALUE}).")
    double feedback;

    @Option(names = "--fault", paramLabel = "SPEC", converter = FaultConverter.class,
            description = "Inject a fault, e.g. error_rate=0.05@10m, latency=1.8@5m, silence@2m, error_rate=0.08@3m:both. Repeatable.")
    List<Fault> faults = new ArrayList<>();

    @Option(names = "--duplicates", paramLabel = "RATE", defaultValue = "0",
            description = "Fraction of records sent twice with the same eventId (default: ${DEFAULT-VALUE}).")
    double duplicates;

    @Option(names = "--malformed", paramLabel = "RATE", defaultValue = "0",
            description = "Extra malformed records, as a fraction of valid ones (default: ${DEFAULT-VALUE}).")
    double malformed;

    @Option(names = START, paramLabel = "ISO", converter = InstantConverter.class,
            description = "Event time of the first request, e.g. 2026-12-01T10:00:00Z (default: 2026-12-01T10:00:00Z; now with --kafka or --realtime).")
    Instant start;

    @Override
    public Integer call() {
        SimulationConfig config = config();
        TrafficSimulator simulator = new TrafficSimulator(config);
        PrintWriter report = out == null && kafka == null ? spec.commandLine().getErr() : spec.commandLine().getOut();
        SimulationSummary summary = new SimulationSummary();
        RealtimePacer pacer = realtime ? RealtimePacer.systemClock() : null;
        try (RecordSink sink = openSink(); ProgressBar progress = progressBar(simulator)) {
            for (SimulatedRecord record : simulator) {
                if (pacer != null) {
                    pacer.awaitEventTime(record.eventTimeMillis());
                }
                sink.write(record);
                summary.add(record);
                if (progress != null) {
                    progress.step();
                }
            }
            if (progress != null) {
                progress.maxHint(progress.getCurrent());
            }
        } catch (IOException | KafkaException e) {
            spec.commandLine().getErr().println("simulate: " + e.getMessage());
            spec.commandLine().getErr().println("simulate: stopped; handed over before the failure: " + summary.line());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            spec.commandLine().getErr().println("simulate: interrupted after " + summary.line());
            return 130;
        }
        report.println("simulate: " + summary.line());
        report.flush();
        return 0;
    }

    SimulationConfig config() {
        CommandLine cli = spec.commandLine();
        if (out != null && kafka != null) {
            throw new CommandLine.ParameterException(cli, OUT + " and " + KAFKA + " are exclusive: choose one destination");
        }
        if (kafka == null && cli.getParseResult().hasMatchedOption(TOPIC)) {
            throw new CommandLine.ParameterException(cli, TOPIC + " needs " + KAFKA);
        }
        if (realtime && start != null) {
            throw new CommandLine.ParameterException(cli, START + " cannot be combined with " + REALTIME + ": real-time event time starts now");
        }
        try {
            SimulationConfig.Builder builder = SimulationConfig.builder()
                    .seed(seed)
                    .baselineVersion(baselineVersion)
                    .canaryVersion(canaryVersion)
                    .canaryPercent(canaryPercent)
                    .users(users)
                    .rateFactor(rateFactor)
                    .feedbackProbability(feedback)
                    .duplicateRate(duplicates)
                    .malformedRate(malformed)
                    .faults(faults)
                    .maxEvents(events)
                    .duration(duration != null || events != null ? duration : SimulationConfig.DEFAULT_DURATION);
            if (!releases.isEmpty()) {
                builder.releases(releases);
            }
            if (realtime || (kafka != null && start == null)) {
                // live traffic: event time starts now (Kafka retention and the jobs' clock checks expect it)
                builder.start(Clock.systemUTC().instant().truncatedTo(ChronoUnit.MILLIS));
            } else if (start != null) {
                builder.start(start);
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage(), e);
        }
    }

    private RecordSink openSink() throws IOException {
        if (kafka != null) {
            return new KafkaRecordSink(kafka, topic);
        }
        if (out != null) {
            return JsonLinesSink.toFile(out, realtime);
        }
        return JsonLinesSink.toStream(System.out, realtime);
    }

    /** Progress on stderr, only when the records go elsewhere and there are enough to wait for. */
    private ProgressBar progressBar(TrafficSimulator simulator) {
        long expected = simulator.estimatedRecords();
        if ((out == null && kafka == null) || expected < PROGRESS_THRESHOLD || expected == Long.MAX_VALUE) {
            return null;
        }
        return new ProgressBarBuilder()
                .setTaskName("simulate")
                .setInitialMax(expected)
                .setUnit(" records", 1)
                .setUpdateIntervalMillis(500)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
    }

    static final class FaultConverter implements CommandLine.ITypeConverter<Fault> {
        @Override
        public Fault convert(String value) {
            try {
                return Fault.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }


    static final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("bad instant '" + value + "'; expected ISO-8601 UTC, e.g. 2026-12-01T10:00:00Z");
            }
        }
    }
}
