package io.graylight.types;

import io.graylight.contracts.json.Json;
import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a contract record from Kafka as JSON. A tombstone (null value, on a compacted topic) is
 * skipped; a record that does not parse, or that the reader's {@link Check} refuses, is logged with
 * its offset, counted ({@code unreadableRecords}) and skipped: a bad record never fails the job.
 */
public final class JsonRecordDeserializer<T> implements KafkaRecordDeserializationSchema<T> {

    private static final Logger LOG = LoggerFactory.getLogger(JsonRecordDeserializer.class);

    /** Why a parsed record cannot be used by this reader, or null when it can. */
    @FunctionalInterface
    public interface Check<T> extends Serializable {
        String problem(T record);
    }

    private final Class<T> type;
    private final Check<? super T> check;
    private transient Counter unreadable;

    public JsonRecordDeserializer(Class<T> type) {
        this(type, record -> null);
    }

    public JsonRecordDeserializer(Class<T> type, Check<? super T> check) {
        this.type = type;
        this.check = check;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        unreadable = context.getMetricGroup().counter("unreadableRecords");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out) {
        if (record.value() == null) {
            return;
        }
        T value;
        try {
            value = Json.MAPPER.readValue(record.value(), type);
        } catch (IOException e) {
            skip(record, e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(""));
            return;
        }
        String problem = check.problem(value);
        if (problem != null) {
            skip(record, problem);
            return;
        }
        out.collect(value);
    }

    private void skip(ConsumerRecord<byte[], byte[]> record, String why) {
        if (unreadable != null) {
            unreadable.inc();
        }
        LOG.warn("skipped {} at {}-{}@{}: {}", type.getSimpleName(), record.topic(), record.partition(), record.offset(), why);
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return JsonTypeInfo.of(type);
    }
}
