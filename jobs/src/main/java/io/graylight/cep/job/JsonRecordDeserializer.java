package io.graylight.cep.job;

import io.graylight.contracts.json.Json;
import io.graylight.types.JsonTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads a JSON record type off Kafka; a record that does not parse is logged and skipped, never fails the job. */
public final class JsonRecordDeserializer<T> implements KafkaRecordDeserializationSchema<T> {

    private static final Logger LOG = LoggerFactory.getLogger(JsonRecordDeserializer.class);

    private final Class<T> type;

    public JsonRecordDeserializer(Class<T> type) {
        this.type = type;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out) {
        if (record.value() == null) {
            return; // a tombstone of the compacted rules topic
        }
        try {
            out.collect(Json.fromBytes(record.value(), type));
        } catch (RuntimeException e) {
            LOG.warn("skipped {} at {}-{}@{}: {}", type.getSimpleName(), record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return JsonTypeInfo.of(type);
    }
}
