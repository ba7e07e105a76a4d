package io.graylight.simulator;

import io.graylight.contracts.telemetry.Cohort;
import io.graylight.contracts.telemetry.TelemetryEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Shared helpers: run a simulation into memory and pick out what a test looks at. */
final class SimulatorTesting {

    private SimulatorTesting() {}

    static List<SimulatedRecord> run(SimulationConfig config) {
        List<SimulatedRecord> records = new ArrayList<>();
        new TrafficSimulator(config).forEach(records::add);
        return records;
    }

    /** Valid, first-sent events (no duplicates, no malformed records). */
    static List<TelemetryEvent> events(List<SimulatedRecord> records) {
        return records.stream()
                .filter(r -> !r.malformed() && !r.duplicate())
                .map(SimulatedRecord::event)
                .collect(Collectors.toList());
    }

    static List<TelemetryEvent> requests(List<SimulatedRecord> records, Predicate<TelemetryEvent> filter) {
        return events(records).stream().filter(TelemetryEvent::isRequest).filter(filter).collect(Collectors.toList());
    }

    static Predicate<TelemetryEvent> cohort(Cohort cohort) {
        return e -> e.cohort() == cohort;
    }

    /** Events at or after {@code offsetMillis} of event time after the config's start. */
    static Predicate<TelemetryEvent> from(SimulationConfig config, long offsetMillis) {
        long at = config.start().toEpochMilli() + offsetMillis;
        return e -> e.timestampMillis() >= at;
    }

    static Predicate<TelemetryEvent> before(SimulationConfig config, long offsetMillis) {
        return from(config, offsetMillis).negate();
    }

    static double share(List<TelemetryEvent> events, Predicate<TelemetryEvent> which) {
        return events.stream().filter(which).count() / (double) events.size();
    }

    static double percentile(List<Double> values, double p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }

    static double p95Latency(List<TelemetryEvent> requests) {
        return percentile(requests.stream().map(TelemetryEvent::latencyMs).collect(Collectors.toList()), 0.95);
    }

    static boolean sameBytes(List<SimulatedRecord> a, List<SimulatedRecord> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i).bytes(), b.get(i).bytes())) {
                return false;
            }
        }
        return true;
    }
}
