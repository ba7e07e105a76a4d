package io.graylight.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.contracts.telemetry.Cohort;
import io.graylight.contracts.telemetry.RequestStatus;
import io.graylight.contracts.telemetry.TelemetryEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeduplicateEventsTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(10);

    private KeyedOneInputStreamOperatorTestHarness<String, TelemetryEvent, TelemetryEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DeduplicateEvents<TelemetryEvent>(TTL)), TelemetryEvent::eventId, Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void passesTheFirstEventOfAnIdAndDropsRepeats() throws Exception {
        process(event("a", 0));
        process(event("b", 1));
        process(event("a", 2));
        process(event("a", 0));

        assertThat(harness.extractOutputValues()).extracting(TelemetryEvent::eventId).containsExactly("a", "b");
    }

    @Test
    void forgetsIdsOnceTheWatermarkPassesTheirTtlAndLeavesNoStateOrTimers() throws Exception {
        process(event("a", 0));
        process(event("b", 30));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);

        harness.processWatermark(T0.plus(TTL).toEpochMilli());
        assertThat(harness.numKeyedStateEntries()).as("a expired, b not yet").isEqualTo(1);

        harness.processWatermark(T0.plus(TTL).plusSeconds(30).toEpochMilli());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aRepeatWithinTheTtlIsDroppedEvenAfterManyOtherEvents() throws Exception {
        process(event("a", 0));
        for (int i = 0; i < 1000; i++) {
            process(event("other-" + i, i % 500));
        }
        harness.processWatermark(T0.plus(TTL).minusSeconds(1).toEpochMilli());
        process(event("a", 500));

        assertThat(harness.extractOutputValues()).filteredOn(e -> e.eventId().equals("a")).hasSize(1);
    }

    private void process(TelemetryEvent event) throws Exception {
        harness.processElement(event, event.timestampMillis());
    }

    private static TelemetryEvent event(String id, int secondsAfterT0) {
        return TelemetryEvent.request(id, T0.plusSeconds(secondsAfterT0), "chat", Cohort.CANARY, "v2", "u1",
                Map.of(), RequestStatus.OK, 100.0, null, null, null, null, null);
    }
}
