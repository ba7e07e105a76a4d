package io.graylight.simulator;

import java.io.IOException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends records to a Kafka topic, keyed by userId so that one user's events stay in order on one
 * partition (malformed records have no key). acks=all and idempotence, because telemetry lost on
 * the way would look like a silent canary; batching with a short linger for throughput.
 *
 * <p>Each record's Kafka timestamp is its event time, as if it had been produced when the
 * simulated request happened: the jobs refuse events dated far ahead of their Kafka timestamp (a
 * broken producer clock), and simulated traffic written as fast as possible runs ahead of the
 * wall clock. Mind the broker's time-based retention when simulating far in the past.
 */
public final class KafkaRecordSink implements RecordSink {

    public static final String DEFAULT_TOPIC = "graylight.telemetry";

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final AtomicLong failures = new AtomicLong();

    public KafkaRecordSink(String bootstrapServers, String topic) {
        this(clientProperties(bootstrapServers), topic);
    }

    /** {@code clientProperties} carries at least {@code bootstrap.servers}, plus any security settings. */
    public KafkaRecordSink(Properties clientProperties, String topic) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "graylight-simulator");
        // Fail within a minute when the broker is unreachable, rather than hang for the default two.
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    private static Properties clientProperties(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    @Override
    public void write(SimulatedRecord record) throws IOException {
        failIfBroken();
        producer.send(new ProducerRecord<>(topic, null, record.eventTimeMillis(), record.key(), record.bytes()), (metadata, error) -> {
            if (error != null) {
                failures.incrementAndGet();
                firstFailure.compareAndSet(null, error);
            }
        });
    }

    @Override
    public void close() throws IOException {
        try {
            producer.flush();
        } finally {
            producer.close();
        }
        failIfBroken();
    }

    private void failIfBroken() throws IOException {
        Exception failure = firstFailure.get();
        if (failure != null) {
            throw new IOException(failures.get() + " record(s) could not be written to Kafka topic " + topic
                    + ": " + failure.getMessage(), failure);
        }
    }
}
