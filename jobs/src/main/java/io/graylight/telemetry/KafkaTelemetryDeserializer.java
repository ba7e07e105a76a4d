package io.graylight.telemetry;

import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Parses telemetry straight off Kafka, keeping topic-partition and offset for dead letters. */
public final class KafkaTelemetryDeserializer implements KafkaRecordDeserializationSchema<TelemetryRecord> {

    private static final long serialVersionUID = 1L;

    private final TelemetryParser parser;

    public KafkaTelemetryDeserializer(TelemetryParser parser) {
        this.parser = parser;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<TelemetryRecord> out) {
        String origin = record.topic() + "-" + record.partition();
        Instant receivedAt = record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : Instant.now();
        out.collect(parser.parse(record.value(), origin, record.offset(), receivedAt));
    }

    @Override
    public TypeInformation<TelemetryRecord> getProducedType() {
        return TypeInformation.of(TelemetryRecord.class);
    }
}
