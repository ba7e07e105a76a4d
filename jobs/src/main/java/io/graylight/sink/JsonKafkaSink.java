package io.graylight.sink;

import io.graylight.contracts.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import javax.annotation.Nullable;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Kafka sinks that write contract records as JSON, keyed so that a release's records stay in order
 * on one partition.
 */
public final class JsonKafkaSink {

    /** How to key a record; serializable because the sink ships it to the task managers. */
    @FunctionalInterface
    public interface KeyFunction<T> extends java.io.Serializable {
        @Nullable
        String keyOf(T value);
    }

    private JsonKafkaSink() {}

    /**
     * @param transactionalIdPrefix unique per job and sink: two sinks sharing one would fence each
     *     other's transactions
     * @param transactionTimeout above checkpoint interval plus restart time, below the broker's
     *     {@code transaction.max.timeout.ms} (15 min by default; the builder's 1 h default is refused)
     */
    public static <T> KafkaSink<T> create(
            String bootstrapServers,
            String topic,
            KeyFunction<T> key,
            DeliveryGuarantee guarantee,
            String transactionalIdPrefix,
            Duration transactionTimeout) {
        Properties producer = new Properties();
        producer.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(transactionTimeout.toMillis()));
        producer.setProperty(ProducerConfig.LINGER_MS_CONFIG, "20");
        producer.setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(producer)
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setRecordSerializer(KafkaRecordSerializationSchema.<T>builder()
                        .setTopic(topic)
                        .setKeySerializationSchema(keySchema(key))
                        .setValueSerializationSchema((SerializationSchema<T>) Json::toBytes)
                        .build())
                .build();
    }

    private static <T> SerializationSchema<T> keySchema(KeyFunction<T> key) {
        return value -> {
            String k = key.keyOf(value);
            return k == null ? null : k.getBytes(StandardCharsets.UTF_8);
        };
    }
}
