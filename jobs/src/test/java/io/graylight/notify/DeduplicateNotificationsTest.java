package io.graylight.notify;

import static io.graylight.notify.Samples.alert;
import static io.graylight.notify.Samples.decision;
import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.contracts.alert.Effect;
import io.graylight.contracts.alert.Severity;
import io.graylight.contracts.decision.Action;
import io.graylight.types.JsonTypeInfo;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** De-duplication of notifications by key within a processing-time window, state cleared after it. */
class DeduplicateNotificationsTest {

    static final Duration WINDOW = Duration.ofMinutes(10);

    private KeyedOneInputStreamOperatorTestHarness<String, Notification, Notification> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DeduplicateNotifications(WINDOW)), Notification::key, Types.STRING);
        // records hold immutable lists, which Kryo cannot copy: the job uses the JSON serializer too
        harness.setup(JsonTypeInfo.of(Notification.class).createSerializer(harness.getExecutionConfig().getSerializerConfig()));
        harness.open();
        harness.setProcessingTime(0);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void repeatsWithinTheWindowAreDroppedThenForgottenWithNoStateLeft() throws Exception {
        harness.processElement(Notification.of(alert("a", Severity.CRITICAL, Effect.ROLLBACK)), 0);
        harness.processElement(Notification.of(decision("chat", 3, Action.ROLLBACK)), 0);
        harness.setProcessingTime(WINDOW.toMillis() - 1);
        harness.processElement(Notification.of(alert("a", Severity.CRITICAL, Effect.ROLLBACK)), 0);
        harness.processElement(Notification.of(decision("chat", 3, Action.ROLLBACK)), 0);
        harness.processElement(Notification.of(decision("chat", 4, Action.COMPLETE)), 0);

        assertThat(harness.extractOutputValues()).extracting(Notification::key)
                .containsExactly("alert:a", "decision:chat#3", "decision:chat#4");
        assertThat(harness.numKeyedStateEntries()).isEqualTo(3);

        harness.setProcessingTime(WINDOW.toMillis() * 2);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();

        harness.processElement(Notification.of(alert("a", Severity.CRITICAL, Effect.ROLLBACK)), 0);
        assertThat(harness.extractOutputValues()).extracting(Notification::key).endsWith("alert:a").hasSize(4);
    }
}
