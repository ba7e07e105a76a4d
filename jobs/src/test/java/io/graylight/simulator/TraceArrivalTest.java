package io.graylight.simulator;

import static io.graylight.simulator.SimulatorTesting.events;
import static io.graylight.simulator.SimulatorTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.contracts.telemetry.RequestStatus;
import io.graylight.contracts.telemetry.TelemetryEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceArrivalTest {

    private static final AzureTrace TRACE = AzureTrace.load();

    private static SimulationConfig.Builder requestsOnly() {
        return SimulationConfig.builder().seed(3).feedbackProbability(0);
    }

    @Test
    void oneHourReplaysEveryTraceRowOnceInOrder() {
        SimulationConfig config = requestsOnly().duration(Duration.ofHours(1)).build();
        List<TelemetryEvent> requests = events(run(config));
        assertThat(requests).hasSize(TRACE.size());
        long start = config.start().toEpochMilli();
        for (int row = 0; row < TRACE.size(); row++) {
            TelemetryEvent request = requests.get(row);
            assertThat(request.timestampMillis()).isEqualTo(start + TRACE.offsetNanos(row) / 1_000_000);
            // token counts come from the trace (failed requests have no output)
            assertThat(request.inputTokens()).isEqualTo(TRACE.contextTokens(row));
            if (request.status() == RequestStatus.OK) {
                assertThat(request.outputTokens()).isEqualTo(TRACE.generatedTokens(row));
            }
        }
    }

    @Test
    void longerRunsLoopTheTraceHourAfterHour() {
        SimulationConfig config = requestsOnly().duration(Duration.ofHours(3)).build();
        long start = config.start().toEpochMilli();
        long[] perHour = new long[3];
        for (TelemetryEvent request : events(run(config))) {
            perHour[(int) ((request.timestampMillis() - start) / 3_600_000)]++;
        }
        assertThat(perHour).containsExactly(TRACE.size(), TRACE.size(), TRACE.size());
    }

    @Test
    void rateFactorCompressesEventTime() {
        SimulationConfig twice = requestsOnly().rateFactor(2).duration(Duration.ofHours(1)).build();
        List<TelemetryEvent> requests = events(run(twice));
        assertThat(requests).hasSize(2 * TRACE.size());
        long start = twice.start().toEpochMilli();
        assertThat(requests.get(TRACE.size()).timestampMillis()).isEqualTo(start + 1_800_000);
        assertThat(requests.get(100).timestampMillis()).isEqualTo(start + TRACE.offsetNanos(100) / 2_000_000);

        SimulationConfig half = requestsOnly().rateFactor(0.5).duration(Duration.ofHours(1)).build();
        long rowsInFirstHalfHour = 0;
        for (int row = 0; row < TRACE.size(); row++) {
            if (TRACE.offsetNanos(row) < Duration.ofMinutes(30).toNanos()) {
                rowsInFirstHalfHour++;
            }
        }
        assertThat(events(run(half))).hasSize((int) rowsInFirstHalfHour);
    }

    @Test
    void severalReleasesShareTheTraceLoad() {
        SimulationConfig config = requestsOnly().releases(List.of("chat", "search", "code")).build();
        List<TelemetryEvent> requests = events(run(config));
        assertThat(requests).hasSize(TRACE.size());
        for (String release : config.releases()) {
            long count = requests.stream().filter(r -> r.release().equals(release)).count();
            assertThat(count / (double) TRACE.size()).isBetween(0.30, 0.37);
        }
    }
}
