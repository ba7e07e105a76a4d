package io.graylight.rollout.cli;

import io.graylight.contracts.command.RolloutCommand;
import io.graylight.contracts.command.RolloutCommands;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends one operator command and waits until every in-sync replica has it ({@code acks=all},
 * idempotent, so a retry cannot duplicate it). Keyed by release: one release's commands stay in
 * order.
 */
final class CommandSender implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final Duration timeout;

    CommandSender(String bootstrapServers, Duration timeout) {
        this.timeout = timeout;
        long millis = Math.max(2_000, timeout.toMillis());
        Properties props = new Properties();
        props.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.setProperty(ProducerConfig.CLIENT_ID_CONFIG, "graylight-cli");
        props.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        props.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.setProperty(ProducerConfig.LINGER_MS_CONFIG, "0");
        // fail within the timeout instead of Kafka's defaults of one to two minutes
        props.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(millis));
        props.setProperty(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(millis));
        props.setProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(millis));
        producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    RecordMetadata send(String topic, RolloutCommand command)
            throws ExecutionException, InterruptedException, TimeoutException {
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(topic, RolloutCommands.key(command), RolloutCommands.encode(command));
        return producer.send(record).get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
