package io.graylight.notify;

import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.json.Json;
import io.graylight.types.JsonTypeInfo;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads contract records (alerts, decisions) from Kafka; one that cannot be read, or lacks what a
 * notification needs (an alert's id, release, severity and effect; a decision's release and action),
 * is logged with its offset and skipped.
 */
public final class JsonRecordDeserializer<T> implements KafkaRecordDeserializationSchema<T> {

    private static final Logger LOG = LoggerFactory.getLogger(JsonRecordDeserializer.class);

    private final Class<T> type;

    public JsonRecordDeserializer(Class<T> type) {
        this.type = type;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out) {
        if (record.value() == null) {
            return; // a tombstone on a compacted topic
        }
        try {
            T value = Json.MAPPER.readValue(record.value(), type);
            String missing = missingField(value);
            if (missing != null) {
                LOG.warn("skipped {} at {}-{}@{}: no {}", type.getSimpleName(), record.topic(), record.partition(), record.offset(), missing);
                return;
            }
            out.collect(value);
        } catch (IOException e) {
            LOG.warn("skipped {} at {}-{}@{}: {}", type.getSimpleName(), record.topic(), record.partition(), record.offset(),
                    e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** The first field a notification cannot do without, or null when it has them all. */
    static String missingField(Object record) {
        if (record instanceof Alert a) {
            return a.alertId() == null ? "alertId" : a.release() == null ? "release" : a.severity() == null ? "severity"
                    : a.effect() == null ? "effect" : null;
        }
        if (record instanceof DecisionRecord d) {
            return d.release() == null ? "release" : d.action() == null ? "action" : null;
        }
        return null;
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return JsonTypeInfo.of(type);
    }
}
