package io.graylight.router.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;

/**
 * The in-JVM Kafka 3.4 KRaft broker for the router's tests: the same test kit and settings as
 * the jobs' {@code io.graylight.embedded.EmbeddedKafka}, which the router cannot depend on (the
 * jobs module depends on the router), reduced to what these tests use.
 */
public final class TestKafka implements AutoCloseable {

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;
    private boolean closed;

    private TestKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        this.bootstrapServers = cluster.clientProperties().getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }

    public static TestKafka start() throws Exception {
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCoResident(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .build();
        cluster.format();
        cluster.startup();
        TestKafka kafka = new TestKafka(cluster);
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(
                    () -> !admin.describeCluster().nodes().get(1, TimeUnit.SECONDS).isEmpty()
                            && admin.describeFeatures().featureMetadata().get(1, TimeUnit.SECONDS) != null);
        }
        return kafka;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Properties clientProperties() {
        Properties properties = new Properties();
        properties.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return properties;
    }

    /** Creates the control topics (compacted) and the telemetry topic under {@code prefix}. */
    public void createGraylightTopics(String prefix) throws Exception {
        Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        try (Admin admin = Admin.create(clientProperties())) {
            List<NewTopic> topics = List.of(
                    new NewTopic(prefix + "decisions", 1, (short) 1).configs(compacted),
                    new NewTopic(prefix + "targeting", 1, (short) 1).configs(compacted),
                    new NewTopic(prefix + "telemetry", 2, (short) 1));
            admin.createTopics(topics).all().get();
            // The broker opens the partitions a moment after the controller commits the topics; an
            // idempotent producer meeting that gap can be stuck on an out-of-order first batch.
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (NewTopic topic : topics) {
                for (int partition = 0; partition < topic.numPartitions(); partition++) {
                    latest.put(new TopicPartition(topic.name(), partition), OffsetSpec.latest());
                }
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> admin.listOffsets(latest).all().get() != null);
        }
    }

    /** Sends one record in a committed transaction (as the decision job's exactly-once sink does). */
    public void sendTransactional(String topic, String key, byte[] value) throws Exception {
        Properties props = clientProperties();
        props.setProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-" + topic + "-" + System.nanoTime());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, key.getBytes(java.nio.charset.StandardCharsets.UTF_8), value));
            producer.commitTransaction();
        }
    }

    /** Everything committed to {@code topic} so far, as a read_committed consumer sees it. */
    public List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        Properties props = clientProperties();
        props.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** Stops the broker; a second call does nothing (tests stop it early to see the router cope). */
    @Override
    public synchronized void close() throws Exception {
        if (!closed) {
            closed = true;
            cluster.close();
        }
    }
}
