package io.graylight.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.alert.Effect;
import io.graylight.contracts.alert.Severity;
import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.json.Json;
import io.graylight.types.JsonRecordDeserializer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Alerts and decisions from Kafka: bad JSON, incomplete records and tombstones are skipped, never fatal. */
class JsonRecordDeserializerTest {

    static <T> List<T> read(Class<T> type, byte[]... values) {
        JsonRecordDeserializer<T> deserializer = new JsonRecordDeserializer<>(type, NotificationJob::missingField);
        List<T> out = new ArrayList<>();
        Collector<T> collector = new Collector<>() {
            @Override public void collect(T record) { out.add(record); }
            @Override public void close() {}
        };
        long offset = 0;
        for (byte[] value : values) {
            deserializer.deserialize(new ConsumerRecord<>("t", 0, offset++, null, value), collector);
        }
        return out;
    }

    @Test
    void keepsCompleteRecordsAndSkipsTheRest() {
        List<Alert> alerts = read(Alert.class,
                Json.toBytes(Samples.alert("a-1", Severity.CRITICAL, Effect.ROLLBACK)),
                "{not json".getBytes(StandardCharsets.UTF_8),
                "{\"release\":\"chat\",\"severity\":\"critical\",\"effect\":\"rollback\"}".getBytes(StandardCharsets.UTF_8),
                null);
        List<DecisionRecord> decisions = read(DecisionRecord.class,
                Json.toBytes(Samples.decision("chat", 3, Action.ROLLBACK)),
                "{\"release\":\"chat\",\"seq\":4}".getBytes(StandardCharsets.UTF_8));

        assertThat(alerts).extracting(Alert::alertId).containsExactly("a-1");
        assertThat(decisions).extracting(DecisionRecord::seq).containsExactly(3L);
    }
}
