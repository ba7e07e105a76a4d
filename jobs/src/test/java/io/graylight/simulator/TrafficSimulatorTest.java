package io.graylight.simulator;

import static io.graylight.simulator.SimulatorTesting.events;
import static io.graylight.simulator.SimulatorTesting.run;
import static io.graylight.simulator.SimulatorTesting.sameBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.graylight.contracts.telemetry.Decoded;
import io.graylight.contracts.telemetry.RequestStatus;
import io.graylight.contracts.telemetry.TelemetryCodec;
import io.graylight.contracts.telemetry.TelemetryEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrafficSimulatorTest {

    private static final TelemetryCodec CODEC = new TelemetryCodec();

    /** A noisy configuration that exercises every path. */
    private static SimulationConfig.Builder noisy(long seed) {
        return SimulationConfig.builder()
                .seed(seed)
                .releases(List.of("chat", "search"))
                .rateFactor(2)
                .duration(Duration.ofMinutes(30))
                .duplicateRate(0.05)
                .malformedRate(0.03)
                .feedbackProbability(0.1)
                .fault(Fault.parse("error_rate=0.05@10m"))
                .fault(Fault.parse("latency=1.5@5m:both"))
                .fault(Fault.parse("silence@25m"));
    }

    @Test
    void sameSeedGivesIdenticalBytes() {
        List<SimulatedRecord> first = run(noisy(7).build());
        List<SimulatedRecord> second = run(noisy(7).build());
        assertThat(first).hasSizeGreaterThan(10_000);
        assertThat(sameBytes(first, second)).isTrue();

        // and one simulator replays the same records from every iterator
        TrafficSimulator simulator = new TrafficSimulator(noisy(7).build());
        Iterator<SimulatedRecord> a = simulator.iterator();
        Iterator<SimulatedRecord> b = simulator.iterator();
        for (int i = 0; i < 1000; i++) {
            assertThat(a.next().bytes()).isEqualTo(b.next().bytes());
        }
    }

    @Test
    void differentSeedGivesDifferentTraffic() {
        List<SimulatedRecord> first = run(noisy(7).build());
        List<SimulatedRecord> other = run(noisy(8).build());
        assertThat(sameBytes(first, other)).isFalse();
        assertThat(first.get(0).bytes()).isNotEqualTo(other.get(0).bytes());
    }

    @Test
    void everyValidRecordDecodesToItsEventAndEveryMalformedOneIsRejected() {
        for (long seed = 1; seed <= 3; seed++) {
            Set<String> reasons = new HashSet<>();
            for (SimulatedRecord record : run(noisy(seed).build())) {
                Decoded decoded = CODEC.decode(record.bytes());
                assertThat(record.bytes()).doesNotContain((byte) '\n', (byte) '\r');
                if (record.malformed()) {
                    assertThat(decoded.isValid()).as("malformed record %s", record.text()).isFalse();
                    assertThat(record.event()).isNull();
                    reasons.add(kindOfProblem(decoded));
                } else {
                    assertThat(decoded.problem()).as("record %s", record.text()).isNull();
                    assertThat(decoded.event()).isEqualTo(record.event());
                    assertThat(record.eventTimeMillis()).isEqualTo(record.event().timestampMillis());
                }
            }
            // not JSON, truncated, missing field, wrong type, out of range, cohort, timestamp, not an object
            assertThat(reasons).as("kinds of breakage").hasSizeGreaterThanOrEqualTo(7);
        }
    }

    @Test
    void duplicatesAndMalformedRecordsComeAtTheConfiguredRates() {
        long valid = 0;
        long duplicates = 0;
        long malformed = 0;
        for (long seed = 1; seed <= 4; seed++) {
            Map<String, byte[]> sent = new HashMap<>();
            for (SimulatedRecord record : run(noisy(seed).build())) {
                if (record.malformed()) {
                    malformed++;
                } else if (record.duplicate()) {
                    duplicates++;
                    // a re-send of a record already sent, byte for byte
                    assertThat(sent.get(record.event().eventId())).isEqualTo(record.bytes());
                } else {
                    valid++;
                    assertThat(sent.put(record.event().eventId(), record.bytes())).as("eventIds are unique").isNull();
                }
            }
        }
        assertThat(valid).isGreaterThan(35_000);
        // a few records at the very end lose their duplicate to the end of the run
        assertThat(duplicates / (double) valid).isCloseTo(0.05, within(0.004));
        assertThat(malformed / (double) valid).isCloseTo(0.03, within(0.003));
    }

    @Test
    void recordsComeInEventTimeOrderExceptRetries() {
        List<SimulatedRecord> records = run(noisy(3).build());
        long last = Long.MIN_VALUE;
        long lateDuplicates = 0;
        for (SimulatedRecord record : records) {
            if (record.duplicate()) {
                if (record.eventTimeMillis() < last) {
                    lateDuplicates++;
                }
                continue;
            }
            assertThat(record.eventTimeMillis()).isGreaterThanOrEqualTo(last);
            last = record.eventTimeMillis();
        }
        assertThat(lateDuplicates).as("retries arrive out of event-time order").isPositive();
    }

    @Test
    void feedbackFollowsTheRequestItRates() {
        List<TelemetryEvent> events = events(run(noisy(5).build()));
        Map<String, TelemetryEvent> requests = new HashMap<>();
        int feedback = 0;
        for (TelemetryEvent event : events) {
            if (event.isRequest()) {
                requests.put(event.eventId(), event);
                continue;
            }
            feedback++;
            TelemetryEvent request = requests.get(event.requestId());
            assertThat(request).as("feedback %s rates an earlier request", event.eventId()).isNotNull();
            assertThat(event.userId()).isEqualTo(request.userId());
            assertThat(event.cohort()).isEqualTo(request.cohort());
            assertThat(event.release()).isEqualTo(request.release());
            assertThat(event.version()).isEqualTo(request.version());
            assertThat(event.timestamp()).isAfter(request.timestamp().plusMillis(request.latencyMs().longValue()));
            assertThat(event.score()).isIn(1, -1);
        }
        assertThat(feedback / (double) requests.size()).isCloseTo(0.1, within(0.01));
    }

    @Test
    void requestFieldsArePlausible() {
        List<TelemetryEvent> requests = new ArrayList<>();
        for (TelemetryEvent event : events(run(noisy(11).faults(List.of()).build()))) {
            if (event.isRequest()) {
                requests.add(event);
            }
        }
        Map<RequestStatus, Long> byStatus = new HashMap<>();
        for (TelemetryEvent r : requests) {
            byStatus.merge(r.status(), 1L, Long::sum);
            assertThat(r.segment()).containsOnlyKeys("region", "tier", "platform");
            assertThat(r.version()).isEqualTo(r.cohort().wireName().equals("canary") ? "v2" : "v1");
            switch (r.status()) {
                case OK -> {
                    assertThat(r.qualityScore()).isBetween(0.0, 1.0);
                    assertThat(r.ttftMs()).isPositive().isLessThanOrEqualTo(r.latencyMs());
                    assertThat(r.outputTokens()).isPositive();
                    assertThat(r.costUsd()).isPositive();
                }
                case ERROR, RATE_LIMITED -> {
                    assertThat(r.latencyMs()).isLessThan(2_000.0);
                    assertThat(r.outputTokens()).isZero();
                    assertThat(r.ttftMs()).isNull();
                    assertThat(r.qualityScore()).isNull();
                }
                case TIMEOUT -> assertThat(r.latencyMs()).isEqualTo(RequestModel.TIMEOUT_MS);
                case FILTERED -> assertThat(r.qualityScore()).isNull();
                default -> throw new AssertionError(r.status());
            }
        }
        double n = requests.size();
        assertThat(byStatus.get(RequestStatus.OK) / n).isGreaterThan(0.98);
        assertThat(byStatus.get(RequestStatus.ERROR) / n).isCloseTo(0.005, within(0.002));
        assertThat(byStatus.get(RequestStatus.RATE_LIMITED) / n).isCloseTo(0.003, within(0.0015));
        assertThat(byStatus.get(RequestStatus.FILTERED) / n).isCloseTo(0.005, within(0.002));
        assertThat(byStatus.get(RequestStatus.TIMEOUT) / n).isCloseTo(0.002, within(0.0015));
        double meanQuality = requests.stream().filter(r -> r.qualityScore() != null)
                .mapToDouble(TelemetryEvent::qualityScore).average().orElseThrow();
        assertThat(meanQuality).isCloseTo(0.8, within(0.01));
    }

    @Test
    void maxEventsStopsAtExactlyThatManyRecords() {
        SimulationConfig config = noisy(1).duration(null).maxEvents(12_345L).build();
        assertThat(run(config)).hasSize(12_345);
    }

    private static String kindOfProblem(Decoded decoded) {
        String message = decoded.problem().message();
        if (message.startsWith("not valid JSON")) {
            return message.contains("end-of-input") ? "truncated" : "not JSON";
        }
        return decoded.problem().field() == null ? message : decoded.problem().field() + ": " + decoded.problem().rule().split(",")[0];
    }
}
