package io.graylight.cep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graylight.cep.job.AlertJob;
import io.graylight.cep.job.ParamsUpdate;
import io.graylight.cep.rules.Rule;
import io.graylight.cep.rules.RuleParser;
import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.json.Json;
import io.graylight.contracts.telemetry.Cohort;
import io.graylight.contracts.telemetry.RequestStatus;
import io.graylight.contracts.telemetry.TelemetryCodec;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.options.JobOptions;
import io.graylight.sink.Topics;
import io.graylight.testing.EmbeddedKafkaExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A threshold changed on the compacted rules topic changes what the running alert job does, with
 * no restart: the whole Kafka path (telemetry and rules topics in, exactly-once alerts out).
 */
class LiveParamsKafkaTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    public static final String RULE = """
            id: slow-request
            severity: warning
            effect: notify
            filter: type == "request"
            params:
              maxLatencyMs: 10000
            pattern:
              - name: slow
                condition: latencyMs > params.maxLatencyMs
            within: 1m
            cooldown: 0s
            message: "{release}: a request over {params.maxLatencyMs} ms"
            """;

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void aLoweredThresholdAppliesToTheRunningJob() throws Exception {
        Topics topics = new Topics("cep-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        String rulesTopic = topics.prefix() + "rules";
        KAFKA.broker().createTopics(2, topics.telemetry());
        KAFKA.broker().createTopics(1, topics.alerts());
        KAFKA.broker().createTopics(1, true, rulesTopic);
        List<Rule> rules = RuleParser.parse(RULE, "slow-request.yaml");
        JobOptions options = JobOptions.defaults().withBootstrapServers(KAFKA.broker().bootstrapServers()).withTopics(topics);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(300);
        AlertJob.forKafka(rules, options, rulesTopic).build(env);
        JobClient job = env.executeAsync("live-params-test");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KAFKA.broker().clientProperties(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            Clock clock = new Clock(producer, topics.telemetry());
            // 500 ms is fine under 10,000 ms; the 20,000 ms marker fires and shows the first requests were judged
            clock.request("before", 500);
            clock.request("before", 600);
            clock.request("marker", 20_000);
            clock.tick();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> uncommitted(topics.alerts()) > 0);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("no alert at all, not even uncommitted; job " + job.getJobStatus().get(), e);
            }
            await().atMost(Duration.ofMinutes(2)).until(() -> alerts(topics).stream().anyMatch(a -> a.release().equals("marker")));

            producer.send(new ProducerRecord<>(rulesTopic, "slow-request".getBytes(StandardCharsets.UTF_8),
                    Json.toBytes(new ParamsUpdate("slow-request", Map.of("maxLatencyMs", 300))))).get();
            AtomicInteger round = new AtomicInteger();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> {
                clock.request("after-" + round.incrementAndGet(), 500);
                clock.tick();
                return alerts(topics).stream().anyMatch(a -> a.release().startsWith("after-"));
            });
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get();
        }
        List<Alert> alerts = alerts(topics);
        assertThat(alerts).noneMatch(a -> a.release().equals("before"));
        Alert after = alerts.stream().filter(a -> a.release().startsWith("after-")).findFirst().orElseThrow();
        assertThat(after.message()).isEqualTo(after.release() + ": a request over 300 ms");
        assertThat(after.matched().values()).containsEntry("params.maxLatencyMs", 300.0);
        Alert marker = alerts.stream().filter(a -> a.release().equals("marker")).findFirst().orElseThrow();
        assertThat(marker.message()).isEqualTo("marker: a request over 10000 ms");
    }

    private static int uncommitted(String topic) {
        java.util.Properties props = KAFKA.broker().clientProperties();
        props.setProperty("isolation.level", "read_uncommitted");
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(props,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            return (int) consumer.endOffsets(partitions).values().stream().mapToLong(x -> x).sum();
        }
    }

    private static List<Alert> alerts(Topics topics) {
        return KAFKA.broker().readCommitted(topics.alerts()).stream().map(r -> Json.fromBytes(r.value(), Alert.class)).toList();
    }

    /** Sends requests with rising event time; a tick far ahead moves the watermark past them. */
    static final class Clock {
        private final KafkaProducer<byte[], byte[]> producer;
        private final String topic;
        private final TelemetryCodec codec = new TelemetryCodec();
        // In the recent past: the telemetry parser refuses events dated beyond max-future-skew after their
        // Kafka timestamp, and the Kafka timestamp is now.
        private Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minus(Duration.ofHours(1));
        private int n;

        Clock(KafkaProducer<byte[], byte[]> producer, String topic) {
            this.producer = producer;
            this.topic = topic;
        }

        void request(String release, double latencyMs) throws Exception {
            now = now.plusSeconds(1);
            send(TelemetryEvent.request("e" + (++n), now, release, Cohort.CANARY, "v2", "u" + n, Map.of(), RequestStatus.OK,
                    latencyMs, 100.0, 10L, 10L, 0.001, 0.9));
        }

        /** On every partition: each has its own watermark. */
        void tick() throws Exception {
            now = now.plusSeconds(30);
            for (int partition = 0; partition < 2; partition++) {
                send(partition, TelemetryEvent.request("tick" + (++n), now, "tick", Cohort.BASELINE, "v1", "u0", Map.of(), RequestStatus.OK,
                    1.0, 1.0, 1L, 1L, 0.0, 0.9));
            }
        }

        private void send(TelemetryEvent e) throws Exception {
            send(0, e);
        }

        private void send(int partition, TelemetryEvent e) throws Exception {
            producer.send(new ProducerRecord<>(topic, partition, e.userId().getBytes(StandardCharsets.UTF_8), codec.encode(e))).get();
        }
    }
}
