package io.graylight.cep;

import io.graylight.contracts.telemetry.RequestStatus;
import io.graylight.contracts.telemetry.TelemetryCodec;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.simulator.Fault;
import io.graylight.simulator.SimulatedRecord;
import io.graylight.simulator.SimulationConfig;
import io.graylight.simulator.TrafficSimulator;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/** Simulated telemetry for the CEP tests: one release per scenario, merged into one file in event time. */
public final class CepTesting {

    public static final Instant START = SimulationConfig.DEFAULT_START;

    private CepTesting() {}

    /** A scenario: a release with a simulator fault (or null) and an event rewrite (or identity). */
    public record Scenario(String release, long seed, String fault, UnaryOperator<TelemetryEvent> rewrite) {
        public static Scenario healthy(String release, long seed) {
            return new Scenario(release, seed, null, UnaryOperator.identity());
        }

        public static Scenario fault(String release, long seed, String fault) {
            return new Scenario(release, seed, fault, UnaryOperator.identity());
        }

        public static Scenario rewrite(String release, long seed, UnaryOperator<TelemetryEvent> rewrite) {
            return new Scenario(release, seed, null, rewrite);
        }
    }

    /** Simulates every scenario for {@code duration} and writes all events, sorted by event time, to {@code file}. */
    public static Path write(Path file, Duration duration, double rateFactor, List<Scenario> scenarios) throws Exception {
        List<TelemetryEvent> events = new ArrayList<>();
        for (Scenario s : scenarios) {
            SimulationConfig.Builder config = SimulationConfig.builder().seed(s.seed()).release(s.release())
                    .canaryPercent(25).rateFactor(rateFactor).duration(duration);
            if (s.fault() != null) {
                config.fault(Fault.parse(s.fault()));
            }
            for (SimulatedRecord record : new TrafficSimulator(config.build()).eventsOnly()) {
                if (record.event() != null) {
                    TelemetryEvent e = s.rewrite().apply(record.event());
                    if (e != null) {
                        events.add(e);
                    }
                }
            }
        }
        events.sort(Comparator.comparing(TelemetryEvent::timestamp).thenComparing(TelemetryEvent::eventId));
        TelemetryCodec codec = new TelemetryCodec();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (TelemetryEvent e : events) {
                w.write(codec.encodeToString(e));
                w.newLine();
            }
        }
        return file;
    }

    /** From {@code onset} on, a share of the canary's requests gets {@code status} instead (a fault the simulator lacks). */
    public static UnaryOperator<TelemetryEvent> canaryStatus(Duration onset, double share, RequestStatus status, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Instant from = START.plus(onset);
        return e -> {
            if (!e.isRequest() || e.cohort() != io.graylight.contracts.telemetry.Cohort.CANARY || e.timestamp().isBefore(from)
                    || random.nextDouble() >= share) {
                return e;
            }
            double latency = status == RequestStatus.RATE_LIMITED ? 12.0 : Math.min(e.latencyMs(), 400.0);
            return new TelemetryEvent(e.type(), e.eventId(), e.timestamp(), e.release(), e.cohort(), e.version(), e.userId(),
                    e.segment(), status, latency, status == RequestStatus.RATE_LIMITED ? null : e.ttftMs(), e.inputTokens(),
                    status == RequestStatus.RATE_LIMITED ? 0L : e.outputTokens(), e.costUsd(), null, null, null);
        };
    }

    /** From {@code onset} on, the canary's requests lose their usage: no output tokens, no cost (a broken exporter). */
    public static UnaryOperator<TelemetryEvent> canaryWithoutUsage(Duration onset) {
        Instant from = START.plus(onset);
        return e -> {
            if (!e.isRequest() || e.cohort() != io.graylight.contracts.telemetry.Cohort.CANARY || e.timestamp().isBefore(from)) {
                return e;
            }
            return new TelemetryEvent(e.type(), e.eventId(), e.timestamp(), e.release(), e.cohort(), e.version(), e.userId(),
                    e.segment(), e.status(), e.latencyMs(), e.ttftMs(), e.inputTokens(), null, null, e.qualityScore(),
                    null, null);
        };
    }
}
