package io.graylight.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.contracts.metrics.CohortMetrics;
import io.graylight.contracts.telemetry.Cohort;
import io.graylight.contracts.telemetry.RequestStatus;
import io.graylight.contracts.telemetry.TelemetryEvent;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class CohortAccumulatorSerializerTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void roundTripKeepsEveryTotal() throws Exception {
        CohortAccumulator acc = new CohortAccumulator();
        RequestStatus[] statuses = RequestStatus.values();
        for (int i = 0; i < 500; i++) {
            acc.add(TelemetryEvent.request("e" + i, T0, "chat", Cohort.CANARY, "v2", "u" + i, Map.of(),
                    statuses[i % statuses.length], 100.0 + i, 20.0 + i / 10.0, (long) i, (long) (2 * i), 0.001 * i,
                    i % 2 == 0 ? 0.8 : null));
        }
        acc.add(TelemetryEvent.feedback("f1", T0, "chat", Cohort.CANARY, "v2", "u1", Map.of(), "e1", -1));

        DataOutputSerializer out = new DataOutputSerializer(1024);
        CohortAccumulatorSerializer.INSTANCE.serialize(acc, out);
        CohortAccumulator restored = CohortAccumulatorSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        CohortMetrics expected = acc.toMetrics(T0, T0.plusSeconds(10));
        assertThat(restored.toMetrics(T0, T0.plusSeconds(10))).isEqualTo(expected);
        assertThat(CohortAccumulatorSerializer.INSTANCE.copy(acc).toMetrics(T0, T0.plusSeconds(10))).isEqualTo(expected);
        assertThat(expected.requests()).isEqualTo(500);
        assertThat(expected.feedbackDown()).isEqualTo(1);
        assertThat(expected.qualitySamples()).isEqualTo(250);
    }
}
