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
 * Sends one record from the CLI and waits until every in-sync replica has it ({@code acks=all},
 * idempotent, so a retry cannot duplicate it): operator commands, keyed by release so one release's
 * commands stay in order, and model updates ({@code graylight models publish}).
 */
public final class CommandSender implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final Duration timeout;

    public CommandSender(String bootstrapServers, Duration timeout) {
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
        return send(topic, RolloutCommands.key(command), RolloutCommands.encode(command));
    }

    /** The record's metadata once acknowledged; throws when not within the timeout. */
    public RecordMetadata send(String topic, byte[] key, byte[] value)
            throws ExecutionException, InterruptedException, TimeoutException {
        return producer.send(new ProducerRecord<>(topic, key, value)).get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
