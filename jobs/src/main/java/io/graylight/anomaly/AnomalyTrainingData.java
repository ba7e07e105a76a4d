package io.graylight.anomaly;

import io.graylight.contracts.metrics.CohortMetrics;
import io.graylight.contracts.telemetry.Cohort;
import io.graylight.metrics.CohortAccumulator;
import io.graylight.simulator.Fault;
import io.graylight.simulator.SimulatedRecord;
import io.graylight.simulator.SimulationConfig;
import io.graylight.simulator.TrafficSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cohort window metrics from the traffic simulator (the real Azure trace), computed in-process
 * with the metrics job's own {@link CohortAccumulator}: the anomaly model's training and evaluation
 * data. Normal runs vary the seed and the canary share; faulty runs add one fault from a known
 * onset, canary-only or for both cohorts ({@code :both}).
 */
public final class AnomalyTrainingData {

    /** Trace speed-up of the training runs: about 2,900 requests a minute, as in the decision benchmark. */
    public static final double RATE_FACTOR = 20;
    public static final Duration WINDOW = Duration.ofSeconds(10);
    static final double[] CANARY_PERCENTS = {5, 10, 25, 50};

    /** The faults of the held-out evaluation: one clear regression of each kind. */
    public static final List<String> EVALUATION_FAULTS = List.of(
            "error_rate=0.05", "latency=1.8", "tail_stalls=0.05", "ttft=2.5", "quality_drop=0.15",
            "negative_feedback=0.3", "cost=1.8");

    private AnomalyTrainingData() {}

    public static SimulationConfig config(long seed, double canaryPercent, Duration duration, Fault fault) {
        SimulationConfig.Builder builder = SimulationConfig.builder()
                .seed(seed)
                .canaryPercent(canaryPercent)
                .rateFactor(RATE_FACTOR)
                .duration(duration);
        if (fault != null) {
            builder.faults(List.of(fault));
        }
        return builder.build();
    }

    /** A normal run's canary share, varied with the seed so the model sees small and large canaries. */
    public static double canaryPercent(long seed) {
        return CANARY_PERCENTS[(int) Math.floorMod(seed, CANARY_PERCENTS.length)];
    }

    /** Window pairs of one simulation, in window order; windows where a cohort sent nothing are left out. */
    public static List<WindowPair> windows(SimulationConfig config, Duration window) {
        TrafficSimulator simulator = new TrafficSimulator(config).eventsOnly();
        long start = config.start().toEpochMilli();
        long size = window.toMillis();
        TreeMap<Long, CohortAccumulator[]> byWindow = new TreeMap<>();
        for (SimulatedRecord record : simulator) {
            if (!record.isValid() || record.duplicate()) {
                continue;
            }
            long index = Math.floorDiv(record.eventTimeMillis() - start, size);
            CohortAccumulator[] pair = byWindow.computeIfAbsent(index, i -> new CohortAccumulator[2]);
            int side = record.event().cohort() == Cohort.CANARY ? 0 : 1;
            if (pair[side] == null) {
                pair[side] = new CohortAccumulator();
            }
            pair[side].add(record.event());
        }
        List<WindowPair> pairs = new ArrayList<>();
        for (Map.Entry<Long, CohortAccumulator[]> entry : byWindow.entrySet()) {
            CohortAccumulator[] pair = entry.getValue();
            if (pair[0] == null || pair[1] == null || pair[0].requests() == 0 || pair[1].requests() == 0) {
                continue;
            }
            long windowStart = start + entry.getKey() * size;
            Instant from = Instant.ofEpochMilli(windowStart);
            Instant to = Instant.ofEpochMilli(windowStart + size);
            CohortMetrics canary = pair[0].toMetrics(from, to);
            CohortMetrics baseline = pair[1].toMetrics(from, to);
            boolean faulty = false;
            boolean incident = false;
            for (Fault fault : config.faults()) {
                if (windowStart - start >= fault.start().toMillis()) {
                    faulty = true;
                    incident |= fault.target() == Fault.Target.BOTH;
                }
            }
            pairs.add(new WindowPair(canary, baseline, faulty, incident));
        }
        return pairs;
    }
}
