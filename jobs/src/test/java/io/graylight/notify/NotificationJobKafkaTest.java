package io.graylight.notify;

import static io.graylight.notify.Samples.alert;
import static io.graylight.notify.Samples.decision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.graylight.contracts.alert.Effect;
import io.graylight.contracts.alert.Severity;
import io.graylight.contracts.decision.Action;
import io.graylight.contracts.json.Json;
import io.graylight.options.JobOptions;
import io.graylight.sink.Topics;
import io.graylight.testing.EmbeddedKafkaExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The notification job on a MiniCluster, reading the alerts and decisions topics of an in-JVM Kafka
 * and posting to a local webhook receiver: repeats (a re-emitted alert, a re-read decision) are sent
 * once, filters apply, and a bad record on a topic is skipped.
 */
class NotificationJobKafkaTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void repeatedAlertsAndDecisionsAreDeliveredOnceAndFiltersApply() throws Exception {
        Topics topics = new Topics("notify-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        KAFKA.broker().createTopics(2, topics.alerts(), topics.decisions());
        try (WebhookReceiver receiver = new WebhookReceiver();
             KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int copy = 0; copy < 3; copy++) {
                send(producer, topics.alerts(), "chat", Json.toBytes(alert("burst-1", Severity.CRITICAL, Effect.ROLLBACK)));
            }
            send(producer, topics.alerts(), "chat", Json.toBytes(alert("burst-2", Severity.WARNING, Effect.HOLD)));
            send(producer, topics.alerts(), "chat", Json.toBytes(alert("info-1", Severity.INFO, Effect.NOTIFY)));
            send(producer, topics.alerts(), "chat", "{not json".getBytes(StandardCharsets.UTF_8));
            send(producer, topics.decisions(), "chat", Json.toBytes(decision("chat", 1, Action.START)));
            send(producer, topics.decisions(), "chat", Json.toBytes(decision("chat", 2, Action.PROMOTE)));
            send(producer, topics.decisions(), "chat", Json.toBytes(decision("chat", 3, Action.ROLLBACK)));
            send(producer, topics.decisions(), "chat", Json.toBytes(decision("chat", 3, Action.ROLLBACK)));
            send(producer, topics.decisions(), "search", Json.toBytes(decision("search", 3, Action.ROLLBACK)));
            producer.flush();

            NotificationConfig config = NotificationConfigParser.parse("""
                    dedupeWindow: 1h
                    targets:
                      - name: oncall
                        kind: generic
                        url: ${HOOK}
                        alerts: {severities: [critical, warning]}
                        decisions: {actions: [ROLLBACK, PROMOTE]}
                        retry: {maxAttempts: 3, initialBackoff: 10ms, maxBackoff: 50ms}
                    """, "notifications.yaml", name -> name.equals("HOOK") ? receiver.url().toString() : null);
            JobOptions options = JobOptions.defaults().withBootstrapServers(KAFKA.broker().bootstrapServers()).withTopics(topics);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            NotificationJob.forKafka(options, config, OffsetsInitializer.earliest(), OffsetsInitializer.latest()).build(env);
            env.execute("notification-job-test");

            await().until(() -> receiver.delivered().size() >= 5);
            assertThat(receiver.delivered()).extracting(b -> b.get("key").asText()).containsExactlyInAnyOrder(
                    "alert:burst-1", "alert:burst-2", "decision:chat#2", "decision:chat#3", "decision:search#3");
            JsonNode rollback = receiver.delivered().stream()
                    .filter(b -> b.get("key").asText().equals("decision:chat#3")).findFirst().orElseThrow();
            assertThat(rollback.get("decision").get("action").asText()).isEqualTo("ROLLBACK");
        }
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
    }
}
