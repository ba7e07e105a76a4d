package io.graylight.rollout;

import io.graylight.contracts.command.RolloutCommand;
import io.graylight.contracts.command.RolloutCommands;
import io.graylight.types.JsonTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads operator commands; one that cannot be read is logged with its offset and skipped. */
public final class KafkaCommandDeserializer implements KafkaRecordDeserializationSchema<RolloutCommand> {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaCommandDeserializer.class);

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RolloutCommand> out) {
        var decoded = RolloutCommands.decode(record.value());
        if (decoded.command() != null) {
            out.collect(decoded.command());
        } else {
            LOG.warn("skipped command at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), decoded.problem());
        }
    }

    @Override
    public TypeInformation<RolloutCommand> getProducedType() {
        return JsonTypeInfo.of(RolloutCommand.class);
    }
}
