package io.graylight.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.contracts.json.Json;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CountDeadLettersTest {

    private static final Instant MINUTE = Instant.parse("2026-12-01T10:04:00Z");
    private static final Duration TTL = Duration.ofMinutes(30);

    private KeyedOneInputStreamOperatorTestHarness<String, DlqSummary, EsDocument> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new IndexingJob.CountDeadLetters(TTL)), DlqSummary::id, Types.STRING);
        harness.setProcessingTime(0);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void writesTheRunningTotalOfEachMinuteReleaseAndReasonUnderOneId() throws Exception {
        DlqSummary negative = new DlqSummary(MINUTE, "chat", "latencyMs: must be >= 0", 1);
        DlqSummary missing = new DlqSummary(MINUTE, "chat", "userId: required field is missing", 1);
        harness.processElement(negative, 0);
        harness.processElement(missing, 0);
        harness.processElement(negative, 0);

        assertThat(harness.extractOutputValues()).extracting(d -> d.id)
                .containsExactly(negative.id(), missing.id(), negative.id());
        assertThat(harness.extractOutputValues()).extracting(d -> Json.fromString(d.source, DlqSummary.class).count())
                .containsExactly(1L, 1L, 2L);
    }

    @Test
    void forgetsAMinuteTtlAfterItsLastDeadLetterAndLeavesNoStateOrTimers() throws Exception {
        DlqSummary a = new DlqSummary(MINUTE, "chat", "not JSON", 1);
        DlqSummary b = new DlqSummary(MINUTE.plusSeconds(60), "chat", "not JSON", 1);
        harness.processElement(a, 0);
        harness.setProcessingTime(TTL.toMillis() / 2);
        harness.processElement(b, 0);
        harness.processElement(a, 0); // a's expiry moves on
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(2);

        harness.setProcessingTime(TTL.toMillis() + 1);
        assertThat(harness.numKeyedStateEntries()).as("both still within their ttl").isEqualTo(4);

        harness.setProcessingTime(TTL.toMillis() * 3 / 2);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }
}
