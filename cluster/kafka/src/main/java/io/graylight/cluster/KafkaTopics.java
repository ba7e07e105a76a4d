package io.graylight.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The local broker's health check and topic set-up for scripts/cluster, with the Kafka admin
 * client in one JVM (kafka-topics.sh would start one JVM per topic).
 *
 * <pre>
 * KafkaTopics BOOTSTRAP WAIT_SECONDS [NAME:PARTITIONS[:compact] ...]
 * </pre>
 *
 * Waits until the broker answers a metadata request (a live controller and broker), then creates
 * each topic that does not exist yet; existing topics are left as they are. Exit 0 when all exist
 * and the broker serves each of their partitions, 1 on a timeout or a refusal (the reason on stderr).
 */
public final class KafkaTopics {

    private KafkaTopics() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: KafkaTopics BOOTSTRAP WAIT_SECONDS [NAME:PARTITIONS[:compact] ...]");
            System.exit(2);
        }
        String bootstrap = args[0];
        Instant deadline = Instant.now().plusSeconds(Long.parseLong(args[1]));
        List<NewTopic> topics = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            topics.add(topic(args[i]));
        }
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = awaitBroker(admin, deadline);
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
            for (NewTopic topic : missing) {
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                    System.out.println("created " + topic.name() + " (" + topic.numPartitions() + " partitions"
                            + (topic.configs() == null ? "" : ", " + topic.configs()) + ")");
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        System.err.println("cannot create " + topic.name() + ": " + e.getCause().getMessage());
                        System.exit(1);
                    }
                } catch (TimeoutException e) {
                    System.err.println("cannot create " + topic.name() + ": no answer within 30 s");
                    System.exit(1);
                }
            }
            awaitPartitionsServed(admin, topics.stream().map(NewTopic::name).toList(), deadline);
        }
    }

    /**
     * Waits until the broker serves every partition of {@code names} (a ListOffsets answers): it
     * opens them a moment after the controller commits a new topic, and an idempotent producer
     * whose first batch meets that gap retries it out of order until it expires. Exits 1 at the
     * deadline.
     */
    private static void awaitPartitionsServed(Admin admin, List<String> names, Instant deadline)
            throws InterruptedException {
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            try {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).forEach((name, description) ->
                        description.partitions().forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
                admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                last = e.getCause() != null ? e.getCause().toString() : e.toString();
            }
            Thread.sleep(Duration.ofMillis(100).toMillis());
        }
        System.err.println("partitions not served by the deadline: " + last);
        System.exit(1);
    }

    /** The broker's topic names once it answers; exits 1 at the deadline. */
    private static Set<String> awaitBroker(Admin admin, Instant deadline) throws InterruptedException {
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            try {
                if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()
                        && admin.describeCluster().controller().get(5, TimeUnit.SECONDS) != null) {
                    return admin.listTopics().names().get(10, TimeUnit.SECONDS);
                }
            } catch (ExecutionException | TimeoutException e) {
                last = e.getCause() != null ? e.getCause().toString() : e.toString();
            }
            Thread.sleep(Duration.ofMillis(250).toMillis());
        }
        System.err.println("broker not ready by the deadline: " + last);
        System.exit(1);
        return Set.of();
    }

    /** {@code name:partitions[:compact]}; compacted topics keep the latest record per key forever. */
    static NewTopic topic(String spec) {
        String[] parts = spec.split(":");
        NewTopic topic = new NewTopic(parts[0], Integer.parseInt(parts[1]), (short) 1);
        if (parts.length > 2 && parts[2].equals("compact")) {
            topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        }
        return topic;
    }
}
