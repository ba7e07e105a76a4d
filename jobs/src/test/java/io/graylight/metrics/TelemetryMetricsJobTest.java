package io.graylight.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.graylight.contracts.metrics.CohortMetrics;
import io.graylight.options.JobOptions;
import io.graylight.contracts.telemetry.Cohort;
import io.graylight.contracts.telemetry.DeadLetter;
import io.graylight.contracts.telemetry.RequestStatus;
import io.graylight.contracts.telemetry.TelemetryCodec;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.telemetry.TelemetrySources;
import io.graylight.telemetry.TelemetryRecord;
import io.graylight.testing.CollectingSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole metrics pipeline on a MiniCluster (1 task manager, 2 slots) over a telemetry file,
 * compared with an exact computation over the same events.
 */
class TelemetryMetricsJobTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final long WINDOW_MS = 10_000;
    private static final double[] QUANTILES = {0.50, 0.90, 0.95, 0.99};
    private static final TelemetryCodec CODEC = new TelemetryCodec();

    @TempDir
    static Path dir;

    private static final List<TelemetryEvent> unique = new ArrayList<>();
    private static final List<Integer> malformedLines = new ArrayList<>();
    private static int lateLine;
    private static List<CohortMetrics> metrics;
    private static List<DeadLetter> deadLetters;

    @BeforeAll
    static void runPipeline() throws Exception {
        Path file = dir.resolve("telemetry.jsonl");
        Files.write(file, telemetryLines(new Random(20261201)));

        CollectingSink<CohortMetrics> metricsSink = new CollectingSink<>();
        CollectingSink<DeadLetter> deadLetterSink = new CollectingSink<>();
        FileSource<TelemetryRecord> source = TelemetrySources.files(List.of(file));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        // One channel per edge: with two, the window operator's watermark is the minimum over two
        // channels whose buffers flush independently, so whether the far-too-late event finds the
        // watermark past it (late) or not yet (counted) depended on timing; it failed in a full run.
        env.setParallelism(1);
        new TelemetryMetricsJob(source, metricsSink, deadLetterSink, JobOptions.defaults()).build(env);
        env.execute("metrics-pipeline-test");

        metrics = metricsSink.collected();
        deadLetters = deadLetterSink.collected();
    }

    /**
     * Two releases, both cohorts, a minute of traffic with feedback; arrival order shuffled by up
     * to 3 s (inside the 5 s bound); 5 % of events repeated later; malformed lines sprinkled in;
     * and one event at the end that is far too late.
     */
    private static List<String> telemetryLines(Random random) {
        RequestStatus[] statuses = RequestStatus.values();
        double[] statusWeights = {0.90, 0.04, 0.02, 0.02, 0.02};
        List<TelemetryEvent> requests = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            String release = random.nextInt(3) == 0 ? "search" : "chat";
            Cohort cohort = random.nextDouble() < 0.2 ? Cohort.CANARY : Cohort.BASELINE;
            Instant ts = T0.plusMillis(random.nextInt(60_000));
            double latency = Math.exp(6.5 + 0.8 * random.nextGaussian());
            Double ttft = random.nextInt(4) == 0 ? null : latency * random.nextDouble();
            requests.add(TelemetryEvent.request("req-" + i, ts, release, cohort, cohort == Cohort.CANARY ? "v2" : "v1",
                    "user-" + random.nextInt(300), Map.of("region", "eu-west"), pick(statuses, statusWeights, random),
                    latency, ttft, (long) random.nextInt(4000), (long) random.nextInt(500),
                    random.nextDouble() / 100, random.nextBoolean() ? random.nextDouble() : null));
        }
        List<TelemetryEvent> events = new ArrayList<>(requests);
        for (int i = 0; i < 300; i++) {
            TelemetryEvent rated = requests.get(random.nextInt(requests.size()));
            events.add(TelemetryEvent.feedback("fb-" + i, rated.timestamp().plusMillis(random.nextInt(2000)),
                    rated.release(), rated.cohort(), rated.version(), rated.userId(), Map.of(), rated.eventId(),
                    random.nextBoolean() ? 1 : -1));
        }
        unique.addAll(events);

        // Arrival = event time + up to 3 s of delay: out of order, never beyond the 5 s bound.
        Map<TelemetryEvent, Long> arrival = new HashMap<>();
        events.forEach(e -> arrival.put(e, e.timestampMillis() + random.nextInt(3000)));
        events.sort(Comparator.comparing(arrival::get));

        List<String> lines = new ArrayList<>();
        for (TelemetryEvent event : events) {
            lines.add(CODEC.encodeToString(event));
        }
        for (int i = 0; i < 200; i++) { // repeats arrive after their original
            int original = random.nextInt(lines.size() - 1);
            String line = lines.get(original);
            if (line.startsWith("{")) {
                lines.add(original + 1 + random.nextInt(Math.min(50, lines.size() - original - 1)), line);
            }
        }
        String[] garbage = {"not json", "{\"type\":\"request\"", "{\"type\":\"request\",\"eventId\":\"x\"}", "[]",
                "{\"type\":\"request\",\"eventId\":\"y\",\"timestamp\":\"2026-12-01T10:00:01Z\",\"release\":\"chat\","
                        + "\"cohort\":\"canary\",\"userId\":\"u\",\"status\":\"ok\",\"latencyMs\":-3}"};
        for (int i = 0; i < 50; i++) {
            lines.add(1 + random.nextInt(lines.size() - 1), garbage[i % garbage.length]);
        }
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("{\"type\":\"") || !lines.get(i).contains("\"userId\":\"user-")) {
                malformedLines.add(i + 1);
            }
        }
        lines.add(CODEC.encodeToString(TelemetryEvent.request("too-late", T0.plusSeconds(1), "chat", Cohort.CANARY,
                "v2", "user-1", Map.of(), RequestStatus.OK, 100.0, null, null, null, null, null)));
        lateLine = lines.size();
        return lines;
    }

    @Test
    void everyWindowMatchesTheExactComputationPerReleaseAndCohort() {
        Map<String, List<TelemetryEvent>> expected = unique.stream().collect(Collectors.groupingBy(
                e -> key(e.release(), e.cohort().wireName(), windowStart(e.timestamp()))));
        Map<String, CohortMetrics> actual = metrics.stream().collect(Collectors.toMap(
                m -> key(m.release(), m.cohort(), m.windowStart()), m -> m));

        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((key, events) -> assertWindow(actual.get(key), events));
    }

    @Test
    void repeatedEventsAreCountedOnce() {
        long counted = metrics.stream().mapToLong(CohortMetrics::events).sum();
        assertThat(counted).isEqualTo(unique.size());
    }

    @Test
    void malformedLinesGoToTheDeadLettersWithFileAndLine() {
        List<DeadLetter> invalid = deadLetters.stream().filter(d -> !d.reason().contains("late event")).toList();
        assertThat(invalid).extracting(DeadLetter::offset)
                .containsExactlyInAnyOrderElementsOf(malformedLines.stream().map(Long::valueOf).toList());
        assertThat(invalid).allSatisfy(d -> assertThat(d.origin()).isEqualTo("file:telemetry.jsonl"));
        assertThat(invalid).extracting(DeadLetter::reason)
                .contains("not valid JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object "
                                + "or token 'null', 'true' or 'false') (at line 1, column 4)",
                        "expected a JSON object, got an array",
                        "latencyMs = -3: must be >= 0",
                        "timestamp: required field is missing");
    }

    @Test
    void anEventBeyondTheOutOfOrdernessBoundIsKeptAsALateDeadLetter() {
        List<DeadLetter> late = deadLetters.stream().filter(d -> d.reason().contains("late event")).toList();
        assertThat(late).singleElement().satisfies(d -> {
            assertThat(d.raw()).contains("\"eventId\":\"too-late\"");
            assertThat(d.eventTime()).isEqualTo(T0.plusSeconds(1));
        });
        assertThat(lateLine).isGreaterThan(0);
    }

    private static void assertWindow(CohortMetrics m, List<TelemetryEvent> events) {
        List<TelemetryEvent> requests = events.stream().filter(TelemetryEvent::isRequest).toList();
        long n = requests.size();
        assertThat(m.requests()).isEqualTo(n);
        assertThat(m.windowEnd()).isEqualTo(m.windowStart().plusMillis(WINDOW_MS));
        assertThat(m.errors()).isEqualTo(count(requests, RequestStatus.ERROR));
        assertThat(m.timeouts()).isEqualTo(count(requests, RequestStatus.TIMEOUT));
        assertThat(m.rateLimited()).isEqualTo(count(requests, RequestStatus.RATE_LIMITED));
        assertThat(m.filtered()).isEqualTo(count(requests, RequestStatus.FILTERED));
        assertThat(m.ok()).isEqualTo(count(requests, RequestStatus.OK));
        if (n > 0) {
            assertThat(m.errorRate()).isCloseTo((double) count(requests, RequestStatus.ERROR) / n, within(1e-12));
            assertThat(m.timeoutRate()).isCloseTo((double) count(requests, RequestStatus.TIMEOUT) / n, within(1e-12));
            double[] latencies = requests.stream().mapToDouble(TelemetryEvent::latencyMs).sorted().toArray();
            Double[] estimates = {m.latencyP50(), m.latencyP90(), m.latencyP95(), m.latencyP99()};
            for (int i = 0; i < QUANTILES.length; i++) {
                double exact = exactQuantile(latencies, QUANTILES[i]);
                assertThat(estimates[i]).as("latency q%s", QUANTILES[i]).isCloseTo(exact, within(0.01 * exact));
            }
            double[] ttfts = requests.stream().filter(e -> e.ttftMs() != null).mapToDouble(TelemetryEvent::ttftMs).sorted().toArray();
            assertThat(m.ttftSamples()).isEqualTo(ttfts.length);
            if (ttfts.length > 0) {
                assertThat(m.ttftP95()).isCloseTo(exactQuantile(ttfts, 0.95), within(0.01 * exactQuantile(ttfts, 0.95)));
            }
            assertThat(m.inputTokens()).isEqualTo(requests.stream().mapToLong(TelemetryEvent::inputTokens).sum());
            assertThat(m.outputTokens()).isEqualTo(requests.stream().mapToLong(TelemetryEvent::outputTokens).sum());
            assertThat(m.costPerRequest()).isCloseTo(requests.stream().mapToDouble(TelemetryEvent::costUsd).average().orElseThrow(), within(1e-12));
            List<Double> qualities = requests.stream().map(TelemetryEvent::qualityScore).filter(q -> q != null).toList();
            assertThat(m.qualitySamples()).isEqualTo(qualities.size());
            if (!qualities.isEmpty()) {
                assertThat(m.qualityMean()).isCloseTo(qualities.stream().mapToDouble(Double::doubleValue).average().orElseThrow(), within(1e-12));
            }
        }
        assertThat(m.feedbackUp()).isEqualTo(events.stream().filter(e -> e.isFeedback() && e.score() == 1).count());
        assertThat(m.feedbackDown()).isEqualTo(events.stream().filter(e -> e.isFeedback() && e.score() == -1).count());
    }

    private static double exactQuantile(double[] sorted, double q) {
        return sorted[(int) Math.floor(q * (sorted.length - 1))];
    }

    private static long count(List<TelemetryEvent> requests, RequestStatus status) {
        return requests.stream().filter(e -> e.status() == status).count();
    }

    private static Instant windowStart(Instant ts) {
        return Instant.ofEpochMilli(ts.toEpochMilli() - Math.floorMod(ts.toEpochMilli(), WINDOW_MS));
    }

    private static String key(String release, String cohort, Instant windowStart) {
        return release + "/" + cohort + "/" + windowStart;
    }

    private static <T> T pick(T[] values, double[] weights, Random random) {
        double r = random.nextDouble();
        for (int i = 0; i < values.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }

}
