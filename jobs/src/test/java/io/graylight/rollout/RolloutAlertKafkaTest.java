package io.graylight.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.alert.AlertScope;
import io.graylight.contracts.alert.AlertSource;
import io.graylight.contracts.alert.Effect;
import io.graylight.contracts.alert.MatchedEvents;
import io.graylight.contracts.alert.Severity;
import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.json.Json;
import io.graylight.options.JobOptions;
import io.graylight.simulator.KafkaRecordSink;
import io.graylight.simulator.SimulatedRecord;
import io.graylight.simulator.SimulationConfig;
import io.graylight.simulator.TrafficSimulator;
import io.graylight.sink.Topics;
import io.graylight.testing.EmbeddedKafkaExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert to decision through Kafka, as deployed: the decision job reads healthy telemetry and the
 * alerts topic; a dry-run alert changes nothing, a critical rollback alert on the canary produces a
 * ROLLBACK record citing its rule, committed and in seq order.
 */
class RolloutAlertKafkaTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void aCriticalRollbackAlertProducesARollbackRecordCitingTheRule(@TempDir Path dir) throws Exception {
        Topics topics = new Topics("alert-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        KAFKA.broker().createTopics(1, topics.telemetry(), topics.commands(), topics.alerts());
        KAFKA.broker().createTopics(1, true, topics.decisions());
        Path plan = Files.writeString(dir.resolve("plan.yaml"), RolloutTest.PLAN, StandardCharsets.UTF_8);
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(10));
        try (KafkaRecordSink sink = new KafkaRecordSink(KAFKA.broker().bootstrapServers(), topics.telemetry())) {
            for (SimulatedRecord record : new TrafficSimulator(SimulationConfig.builder().seed(8).start(start)
                    .canaryPercent(10).rateFactor(5).duration(Duration.ofMinutes(2)).build())) {
                sink.write(record);
            }
        }
        JobOptions options = JobOptions.defaults().withBootstrapServers(KAFKA.broker().bootstrapServers()).withTopics(topics)
                .withPlans(List.of(plan.toString()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.enableCheckpointing(200);
        RolloutDecisionJob.forKafka(options, null).build(env);
        JobClient job = env.executeAsync("alert-to-decision-test");
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> decisions(topics).stream()
                    .anyMatch(d -> d.action() == Action.START));

            Instant at = start.plus(Duration.ofSeconds(90));
            send(topics.alerts(), alert("canary-error-burst-dry", at, true), alert("canary-error-burst", at, false));

            await().atMost(Duration.ofSeconds(90)).until(() -> decisions(topics).stream()
                    .anyMatch(d -> d.action() == Action.ROLLBACK));
        } finally {
            job.cancel().get();
        }
        List<DecisionRecord> decisions = decisions(topics);
        assertThat(decisions).extracting(DecisionRecord::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, decisions.size()).boxed().toList());
        DecisionRecord rollback = decisions.get(decisions.size() - 1);
        assertThat(rollback.action()).isEqualTo(Action.ROLLBACK);
        assertThat(rollback.reason()).contains("canary-error-burst", "critical").doesNotContain("-dry");
        assertThat(rollback.evidence()).extracting(e -> e.metric()).containsExactly("alert:canary-error-burst");
        assertThat(rollback.canaryPercent()).isZero();
    }

    private static Alert alert(String rule, Instant at, boolean dryRun) {
        return new Alert(rule + ":chat:canary:1", AlertSource.CEP, rule, Severity.CRITICAL, Effect.ROLLBACK, dryRun,
                "chat", AlertScope.CANARY, at, Instant.now(), null, "12 errors within 30s (threshold 5)",
                new MatchedEvents(12, at.minusSeconds(30), at, List.of(), Map.of("threshold", 5.0)), null);
    }

    private static List<DecisionRecord> decisions(Topics topics) {
        return KAFKA.broker().readCommitted(topics.decisions()).stream()
                .map(r -> Json.fromBytes(r.value(), DecisionRecord.class)).toList();
    }

    private static void send(String topic, Alert... alerts) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(KAFKA.broker().clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Alert alert : alerts) {
                producer.send(new ProducerRecord<>(topic, alert.release().getBytes(StandardCharsets.UTF_8),
                        Json.toBytes(alert))).get();
            }
        }
    }
}
