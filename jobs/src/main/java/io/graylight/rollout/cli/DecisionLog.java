package io.graylight.rollout.cli;

import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the decisions topic from the beginning, committed records only ({@code read_committed}:
 * the judge writes in Kafka transactions, and a decision of an aborted or still open transaction
 * never happened). Partitions are assigned, not subscribed: no consumer group, no offsets
 * committed, nothing left behind on the broker.
 */
final class DecisionLog implements AutoCloseable {

    /** One record of the topic: a decision, or why it is not one. */
    record Entry(String origin, String key, DecisionRecord decision, String problem) {
        boolean isDecision() {
            return decision != null;
        }

        /** The release a record is about: the decision's, else the record key. */
        String release() {
            return decision != null && decision.release() != null ? decision.release() : key;
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Duration timeout;
    private final List<TopicPartition> partitions;

    DecisionLog(String bootstrapServers, String topic, Duration timeout) {
        this.topic = topic;
        this.timeout = timeout;
        Properties props = new Properties();
        props.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.setProperty(ConsumerConfig.CLIENT_ID_CONFIG, "graylight-cli-" + UUID.randomUUID());
        props.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.setProperty(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(1_000, timeout.toMillis())));
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist at " + bootstrapServers);
            }
            partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
    }

    /**
     * Every committed record from the beginning up to the end offsets as of now (the last stable
     * offsets: a transaction still open holds the end back to its first record).
     */
    List<Entry> readToEnd(Predicate<Entry> filter) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        List<Entry> entries = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new org.apache.kafka.common.errors.TimeoutException(
                        "reading " + topic + " to its end took longer than " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                Entry entry = entry(record);
                if (filter.test(entry)) {
                    entries.add(entry);
                }
            }
        }
        return entries;
    }

    /** After {@link #readToEnd}: hands over each new committed record until {@link #wakeup()}. */
    void follow(Predicate<Entry> filter, Consumer<Entry> onEntry) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    Entry entry = entry(record);
                    if (filter.test(entry)) {
                        onEntry.accept(entry);
                    }
                }
            }
        } catch (WakeupException e) {
            // asked to stop
        }
    }

    /** Makes a blocked {@link #follow} return; safe from any thread. */
    void wakeup() {
        consumer.wakeup();
    }

    static Entry entry(ConsumerRecord<byte[], byte[]> record) {
        String origin = record.topic() + "-" + record.partition() + "@" + record.offset();
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            return new Entry(origin, key, null, "tombstone (no value)");
        }
        try {
            DecisionRecord decision = Json.fromBytes(record.value(), DecisionRecord.class);
            if (decision.action() == null || decision.release() == null) {
                return new Entry(origin, key, null, "not a decision record: no action or release");
            }
            return new Entry(origin, key, decision, null);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String message = String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
            return new Entry(origin, key, null, "not a decision record: " + message);
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
