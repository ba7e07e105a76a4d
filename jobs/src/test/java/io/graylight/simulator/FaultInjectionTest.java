package io.graylight.simulator;

import static io.graylight.simulator.SimulatorTesting.before;
import static io.graylight.simulator.SimulatorTesting.cohort;
import static io.graylight.simulator.SimulatorTesting.events;
import static io.graylight.simulator.SimulatorTesting.from;
import static io.graylight.simulator.SimulatorTesting.p95Latency;
import static io.graylight.simulator.SimulatorTesting.percentile;
import static io.graylight.simulator.SimulatorTesting.requests;
import static io.graylight.simulator.SimulatorTesting.run;
import static io.graylight.simulator.SimulatorTesting.share;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.graylight.contracts.telemetry.Cohort;
import io.graylight.contracts.telemetry.RequestStatus;
import io.graylight.contracts.telemetry.TelemetryEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each fault changes what it targets, by about its magnitude, from its start, and nothing else. */
class FaultInjectionTest {

    private static final long[] SEEDS = {1, 2, 3, 4};
    private static final long TEN_MINUTES = Duration.ofMinutes(10).toMillis();
    private static final Predicate<TelemetryEvent> IS_ERROR = e -> e.status() == RequestStatus.ERROR;

    /** Four times the trace's rate and a 20 % canary: enough canary requests for tight bounds. */
    private static SimulationConfig.Builder config(long seed, String... faults) {
        SimulationConfig.Builder builder = SimulationConfig.builder()
                .seed(seed).rateFactor(4).canaryPercent(20).duration(Duration.ofMinutes(40));
        for (String fault : faults) {
            builder.fault(Fault.parse(fault));
        }
        return builder;
    }

    @Test
    void errorRateFaultHitsTheCanaryFromItsStart() {
        List<TelemetryEvent> canaryBefore = new ArrayList<>();
        List<TelemetryEvent> canaryAfter = new ArrayList<>();
        List<TelemetryEvent> baselineAfter = new ArrayList<>();
        for (long seed : SEEDS) {
            SimulationConfig config = config(seed, "error_rate=0.05@10m").build();
            List<SimulatedRecord> records = run(config);
            canaryBefore.addAll(requests(records, cohort(Cohort.CANARY).and(before(config, TEN_MINUTES))));
            canaryAfter.addAll(requests(records, cohort(Cohort.CANARY).and(from(config, TEN_MINUTES))));
            baselineAfter.addAll(requests(records, cohort(Cohort.BASELINE).and(from(config, TEN_MINUTES))));
        }
        assertThat(canaryAfter).hasSizeGreaterThan(10_000);
        assertThat(share(canaryAfter, IS_ERROR)).isCloseTo(0.055, within(0.006));
        assertThat(share(canaryBefore, IS_ERROR)).isCloseTo(0.005, within(0.003));
        assertThat(share(baselineAfter, IS_ERROR)).isCloseTo(0.005, within(0.0015));
    }

    @Test
    void aCanaryFaultLeavesTheBaselineExactlyAsItWas() {
        List<SimulatedRecord> healthy = run(config(5).build());
        List<SimulatedRecord> faulty = run(config(5, "error_rate=0.05@10m", "latency=2@1m", "quality_drop=0.3", "silence@30m").build());
        Predicate<SimulatedRecord> baseline = r -> r.event().cohort() == Cohort.BASELINE;
        List<SimulatedRecord> healthyBaseline = healthy.stream().filter(baseline).collect(Collectors.toList());
        List<SimulatedRecord> faultyBaseline = faulty.stream().filter(baseline).collect(Collectors.toList());
        assertThat(healthyBaseline).isNotEmpty();
        assertThat(SimulatorTesting.sameBytes(healthyBaseline, faultyBaseline)).isTrue();
    }

    @Test
    void anIncidentOnBothHitsBothCohorts() {
        List<TelemetryEvent> canaryAfter = new ArrayList<>();
        List<TelemetryEvent> baselineAfter = new ArrayList<>();
        List<TelemetryEvent> baselineBefore = new ArrayList<>();
        long threeMinutes = Duration.ofMinutes(3).toMillis();
        for (long seed : SEEDS) {
            SimulationConfig config = config(seed, "error_rate=0.08@3m:both").build();
            List<SimulatedRecord> records = run(config);
            canaryAfter.addAll(requests(records, cohort(Cohort.CANARY).and(from(config, threeMinutes))));
            baselineAfter.addAll(requests(records, cohort(Cohort.BASELINE).and(from(config, threeMinutes))));
            baselineBefore.addAll(requests(records, cohort(Cohort.BASELINE).and(before(config, threeMinutes))));
        }
        assertThat(share(canaryAfter, IS_ERROR)).isCloseTo(0.085, within(0.008));
        assertThat(share(baselineAfter, IS_ERROR)).isCloseTo(0.085, within(0.004));
        assertThat(share(baselineBefore, IS_ERROR)).isCloseTo(0.005, within(0.003));
    }

    @Test
    void silenceStopsAllCanaryTelemetryAtItsStart() {
        for (long seed : SEEDS) {
            SimulationConfig config = config(seed, "silence@2m").build();
            List<TelemetryEvent> events = events(run(config));
            long twoMinutes = Duration.ofMinutes(2).toMillis();
            assertThat(events.stream().filter(cohort(Cohort.CANARY).and(before(config, twoMinutes)))).isNotEmpty();
            assertThat(events.stream().filter(cohort(Cohort.CANARY).and(from(config, twoMinutes)))).isEmpty();
            assertThat(events.stream().filter(cohort(Cohort.BASELINE).and(from(config, twoMinutes)))).isNotEmpty();
        }
    }

    @Test
    void silenceOfEverythingEndsAnOtherwiseEndlessRun() {
        SimulationConfig config = config(1, "silence@1m:both").duration(null).maxEvents(1_000_000L).build();
        List<TelemetryEvent> events = events(run(config));
        assertThat(events).isNotEmpty().allMatch(before(config, Duration.ofMinutes(1).toMillis()));
    }

    @Test
    void latencyFaultRaisesCanaryP95ByItsFactor() {
        for (long seed : SEEDS) {
            SimulationConfig healthy = config(seed).build();
            SimulationConfig slow = config(seed, "latency=1.8@5m").build();
            long fiveMinutes = Duration.ofMinutes(5).toMillis();
            Predicate<TelemetryEvent> canaryAfter = cohort(Cohort.CANARY).and(from(slow, fiveMinutes));
            Predicate<TelemetryEvent> baselineAfter = cohort(Cohort.BASELINE).and(from(slow, fiveMinutes));
            List<SimulatedRecord> slowRecords = run(slow);
            double slowCanary = p95Latency(requests(slowRecords, canaryAfter));
            double sameRequestsHealthy = p95Latency(requests(run(healthy), canaryAfter));
            double baseline = p95Latency(requests(slowRecords, baselineAfter));
            // the same requests, only slower
            assertThat(slowCanary / sameRequestsHealthy).isCloseTo(1.8, within(0.02));
            // and against the baseline of the same run, as the judge sees it
            assertThat(slowCanary / baseline).isCloseTo(1.8, within(0.3));
            double canaryBefore = p95Latency(requests(slowRecords, cohort(Cohort.CANARY).and(before(slow, fiveMinutes))));
            assertThat(canaryBefore / p95Latency(requests(slowRecords, cohort(Cohort.BASELINE).and(before(slow, fiveMinutes)))))
                    .isCloseTo(1.0, within(0.35));
        }
    }

    @Test
    void ttftFaultMultipliesTimeToFirstTokenOnly() {
        SimulationConfig healthy = config(6).build();
        SimulationConfig slow = config(6, "ttft=3").build();
        Predicate<TelemetryEvent> canaryOk = cohort(Cohort.CANARY).and(e -> e.status() == RequestStatus.OK);
        double ratio = p95(requests(run(slow), canaryOk), TelemetryEvent::ttftMs)
                / p95(requests(run(healthy), canaryOk), TelemetryEvent::ttftMs);
        assertThat(ratio).isCloseTo(3.0, within(0.05));
    }

    @Test
    void tailStallsAddLongStallsToAboutTheirShareOfRequests() {
        double slowShare = 0;
        for (long seed : SEEDS) {
            List<TelemetryEvent> canary = requests(run(config(seed, "tail_stalls=0.05").build()), cohort(Cohort.CANARY));
            slowShare += share(canary, e -> e.latencyMs() >= RequestModel.STALL_MIN_MS) / SEEDS.length;
        }
        // 5 % stalls, on top of a natural tail of well under 1 %, minus stalls of failed requests
        assertThat(slowShare).isCloseTo(0.05, within(0.01));
    }

    @Test
    void qualityDropLowersCanaryQualityAndRaisesThumbsDown() {
        double drop = 0;
        double thumbsDownHealthy = 0;
        double thumbsDownFaulty = 0;
        for (long seed : SEEDS) {
            List<SimulatedRecord> healthy = run(config(seed).feedbackProbability(0.5).build());
            List<SimulatedRecord> faulty = run(config(seed, "quality_drop=0.2").feedbackProbability(0.5).build());
            drop += (meanQuality(healthy) - meanQuality(faulty)) / SEEDS.length;
            thumbsDownHealthy += thumbsDownRate(healthy) / SEEDS.length;
            thumbsDownFaulty += thumbsDownRate(faulty) / SEEDS.length;
        }
        assertThat(drop).isCloseTo(0.2, within(0.01));
        assertThat(thumbsDownHealthy).isBetween(0.08, 0.2);
        assertThat(thumbsDownFaulty).isGreaterThan(thumbsDownHealthy + 0.25);
    }

    @Test
    void negativeFeedbackFaultAddsThumbsDown() {
        double healthy = 0;
        double faulty = 0;
        for (long seed : SEEDS) {
            healthy += thumbsDownRate(run(config(seed).feedbackProbability(0.5).build())) / SEEDS.length;
            faulty += thumbsDownRate(run(config(seed, "negative_feedback=0.2").feedbackProbability(0.5).build())) / SEEDS.length;
        }
        // the extra probability adds to each rating's thumbs-down probability (capped at 1)
        assertThat(faulty - healthy).isCloseTo(0.2, within(0.02));
    }

    @Test
    void costFaultMultipliesCanaryCostAndTokens() {
        SimulationConfig healthy = config(2).build();
        SimulationConfig pricey = config(2, "cost=1.5@10m").build();
        Predicate<TelemetryEvent> canaryAfter = cohort(Cohort.CANARY).and(from(pricey, TEN_MINUTES));
        double ratio = totalCost(requests(run(pricey), canaryAfter)) / totalCost(requests(run(healthy), canaryAfter));
        assertThat(ratio).isCloseTo(1.5, within(0.01));
        double latencyRatio = p95Latency(requests(run(pricey), canaryAfter)) / p95Latency(requests(run(healthy), canaryAfter));
        assertThat(latencyRatio).as("cost fault leaves latency alone").isEqualTo(1.0);
    }

    private static double p95(List<TelemetryEvent> events, java.util.function.Function<TelemetryEvent, Double> field) {
        return percentile(events.stream().map(field).collect(Collectors.toList()), 0.95);
    }

    private static double meanQuality(List<SimulatedRecord> records) {
        return requests(records, cohort(Cohort.CANARY).and(e -> e.qualityScore() != null)).stream()
                .mapToDouble(TelemetryEvent::qualityScore).average().orElseThrow();
    }

    private static double thumbsDownRate(List<SimulatedRecord> records) {
        List<TelemetryEvent> feedback = events(records).stream()
                .filter(TelemetryEvent::isFeedback).filter(cohort(Cohort.CANARY)).collect(Collectors.toList());
        return share(feedback, e -> e.score() == -1);
    }

    private static double totalCost(List<TelemetryEvent> requests) {
        return requests.stream().mapToDouble(TelemetryEvent::costUsd).sum();
    }
}
