package io.graylight.rollout;

import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.json.Json;
import io.graylight.types.JsonTypeInfo;
import java.io.UncheckedIOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads alerts for the judge. One that cannot be read, or lacks what the judge acts on, is logged
 * with its offset and skipped: a bad alert must not stop the decisions of every release.
 */
public final class KafkaAlertDeserializer implements KafkaRecordDeserializationSchema<Alert> {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaAlertDeserializer.class);

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Alert> out) {
        String problem;
        try {
            Alert alert = record.value() == null ? null : Json.fromBytes(record.value(), Alert.class);
            problem = problemOf(alert);
            if (problem == null) {
                out.collect(alert);
                return;
            }
        } catch (UncheckedIOException e) {
            problem = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
        }
        LOG.warn("skipped alert at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), problem);
    }

    /** Why the judge cannot act on it, or null when it can. */
    static String problemOf(Alert alert) {
        if (alert == null) {
            return "empty record";
        }
        if (alert.alertId() == null || alert.rule() == null || alert.release() == null) {
            return "alertId, rule and release are required";
        }
        if (alert.severity() == null || alert.effect() == null || alert.scope() == null) {
            return "severity, effect and scope are required";
        }
        return alert.eventTime() == null ? "eventTime is required" : null;
    }

    @Override
    public TypeInformation<Alert> getProducedType() {
        return JsonTypeInfo.of(Alert.class);
    }
}
