package io.graylight.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RealtimePacerTest {

    /** A clock that moves only when the pacer sleeps. */
    private static final class FakeTime extends Clock {
        long now;
        final List<Long> sleeps = new ArrayList<>();

        FakeTime(long now) {
            this.now = now;
        }

        void sleep(long millis) {
            sleeps.add(millis);
            now += millis;
        }

        @Override
        public long millis() {
            return now;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void waitsUntilTheEventTimeComes() throws InterruptedException {
        FakeTime time = new FakeTime(1_000);
        RealtimePacer pacer = new RealtimePacer(time, time::sleep);
        pacer.awaitEventTime(1_250);
        assertThat(time.now).isEqualTo(1_250);
        pacer.awaitEventTime(1_250); // same time: no wait
        pacer.awaitEventTime(900); // the past (a late retry): no wait
        pacer.awaitEventTime(2_000);
        assertThat(time.sleeps).containsExactly(250L, 750L);
    }

    @Test
    void sleepsAgainAfterAnEarlyWakeUp() throws InterruptedException {
        FakeTime time = new FakeTime(0);
        RealtimePacer pacer = new RealtimePacer(time, millis -> time.sleep(millis / 2 + 1));
        pacer.awaitEventTime(100);
        assertThat(time.now).isGreaterThanOrEqualTo(100);
        assertThat(time.sleeps).hasSizeGreaterThan(1);
    }

    @Test
    void simulationRecordsCanBePacedFromNow() throws InterruptedException {
        FakeTime time = new FakeTime(Instant.parse("2026-12-01T10:00:00Z").toEpochMilli());
        SimulationConfig config = SimulationConfig.builder().start(time.instant()).duration(null).maxEvents(200L).build();
        RealtimePacer pacer = new RealtimePacer(time, time::sleep);
        for (SimulatedRecord record : new TrafficSimulator(config)) {
            pacer.awaitEventTime(record.eventTimeMillis());
            assertThat(time.now).isEqualTo(Math.max(time.now, record.eventTimeMillis()));
        }
        assertThat(time.now - config.start().toEpochMilli()).as("200 trace arrivals take seconds, not zero").isGreaterThan(1_000);
    }
}
