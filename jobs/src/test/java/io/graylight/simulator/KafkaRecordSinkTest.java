package io.graylight.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graylight.embedded.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Writes simulated telemetry to a real in-JVM Kafka 3.4 KRaft broker and reads it back. */
class KafkaRecordSinkTest {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyRecordArrivesKeyedByUserAndInOrderPerUser() throws Exception {
        String topic = "graylight.telemetry." + UUID.randomUUID();
        kafka.createTopics(3, topic);
        SimulationConfig config = SimulationConfig.builder().seed(13).duration(null).maxEvents(5_000L)
                .duplicateRate(0.02).malformedRate(0.02).build();
        List<SimulatedRecord> sent = SimulatorTesting.run(config);

        try (KafkaRecordSink sink = new KafkaRecordSink(kafka.clientProperties(), topic)) {
            for (SimulatedRecord record : sent) {
                sink.write(record);
            }
        }

        List<ConsumerRecord<byte[], byte[]>> received = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            // assigned rather than subscribed: no consumer group, nothing to wait for but the data
            List<TopicPartition> partitions = List.of(
                    new TopicPartition(topic, 0), new TopicPartition(topic, 1), new TopicPartition(topic, 2));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return received.size() >= sent.size();
            });
            assertThat(consumer.poll(Duration.ofMillis(200)).count()).as("nothing beyond what was sent").isZero();
        }

        assertThat(received).hasSize(sent.size());
        assertThat(sorted(received.stream().map(ConsumerRecord::value).collect(Collectors.toList())))
                .isEqualTo(sorted(sent.stream().map(SimulatedRecord::bytes).collect(Collectors.toList())));
        // each user's records sit on one partition, in the order they were sent
        Map<String, List<String>> sentByUser = byUser(sent.stream().filter(r -> r.key() != null)
                .map(r -> new String[] {new String(r.key(), StandardCharsets.UTF_8), r.text()}).collect(Collectors.toList()));
        Map<String, List<String>> receivedByUser = byUser(received.stream().filter(r -> r.key() != null)
                .map(r -> new String[] {new String(r.key(), StandardCharsets.UTF_8), new String(r.value(), StandardCharsets.UTF_8)})
                .collect(Collectors.toList()));
        assertThat(receivedByUser).isEqualTo(sentByUser);
        assertThat(received.stream().filter(r -> r.key() == null).count())
                .as("malformed records have no key").isEqualTo(sent.stream().filter(SimulatedRecord::malformed).count());
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static Map<String, List<String>> byUser(List<String[]> keyAndValue) {
        Map<String, List<String>> byUser = new HashMap<>();
        for (String[] kv : keyAndValue) {
            byUser.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(kv[1]);
        }
        return byUser;
    }

    private static List<String> sorted(List<byte[]> values) {
        return values.stream().map(Arrays::toString).sorted().collect(Collectors.toList());
    }
}
