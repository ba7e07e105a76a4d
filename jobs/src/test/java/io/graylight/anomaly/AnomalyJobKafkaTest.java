package io.graylight.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.alert.AlertScope;
import io.graylight.contracts.alert.Effect;
import io.graylight.contracts.json.Json;
import io.graylight.contracts.metrics.CohortMetrics;
import io.graylight.ml.anomaly.AnomalyDetector;
import io.graylight.ml.anomaly.AnomalyTrainer;
import io.graylight.ml.store.ModelStore;
import io.graylight.models.LiveModelKafka;
import io.graylight.models.ModelUpdate;
import io.graylight.models.ModelUpdates;
import io.graylight.options.JobOptions;
import io.graylight.simulator.Fault;
import io.graylight.simulator.SimulationConfig;
import io.graylight.sink.Topics;
import io.graylight.testing.EmbeddedKafkaExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The anomaly job as deployed ({@link AnomalyJob#forKafka}): simulated window metrics on the metrics
 * topic, alerts read back committed from the alerts topic, model versions from the models topic.
 * A canary fault gives a canary alert and a both-cohort fault an incident alert; a tampered version
 * is refused while the old one keeps scoring; a version published with {@code graylight models
 * publish} scores the windows that follow, as the alerts' {@code rule} shows.
 */
class AnomalyJobKafkaTest {

    static final InMemoryReporter METRICS = InMemoryReporter.create();

    @RegisterExtension
    static final MiniClusterExtension FLINK = LiveModelKafka.miniCluster(METRICS);

    static final Duration RUN = Duration.ofMinutes(10);

    @TempDir
    static Path root;
    static Path v1;
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @BeforeAll
    static void setUp() throws Exception {
        AnomalyModelTraining training = new AnomalyModelTraining(6, Duration.ofMinutes(20), new AnomalyTrainer(50, 256, 0.998, 0.9999));
        for (long seed : new long[] {3, 4}) {
            List<double[]> rows = training.normalVectors(seed, null);
            AnomalyDetector detector = training.trainer().train(rows, seed, null);
            Path dir = ModelStore.write(root, training.metadata(seed == 3 ? "v1" : "v2", seed, rows, detector, null), detector);
            if (seed == 3) {
                v1 = dir;
            }
        }
    }

    @Test
    void alertsByScopeThenATamperedVersionIsRefusedAndAPublishedOneTakesOver() throws Exception {
        Topics topics = new Topics("anomaly-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        KAFKA.broker().createTopics(1, topics.metrics(), topics.alerts());
        KAFKA.broker().createTopics(1, true, ModelUpdates.topic(topics));
        JobOptions options = JobOptions.defaults().withBootstrapServers(KAFKA.broker().bootstrapServers()).withTopics(topics);
        AnomalyScorer scorer = new AnomalyScorer(v1.toString(), new AnomalyAlerts(Effect.ROLLBACK, Duration.ofMinutes(2), false),
                Duration.ofSeconds(30), Duration.ofHours(1));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(LiveModelKafka.PARALLELISM);
        env.enableCheckpointing(200);
        AnomalyJob.forKafka(options, scorer).build(env);
        JobClient job = env.executeAsync("anomaly-kafka-test");
        // Each phase in later event time than the one before, so no window arrives behind the watermark.
        Instant start = SimulationConfig.DEFAULT_START;
        try {
            sendWindows(topics, "chat", start, "latency=2@6m");
            sendWindows(topics, "search", start, "latency=2@6m:both");
            await().atMost(Duration.ofMinutes(2)).until(() -> scopes(topics, "chat").contains(AlertScope.CANARY)
                    && scopes(topics, "search").contains(AlertScope.BOTH));

            // The CLI refuses a tampered file before sending; one damaged after publishing reaches the job.
            Path tampered = LiveModelKafka.tamperedCopy(v1, root, "anomaly", "v3");
            assertThat(LiveModelKafka.publish(KAFKA.broker(), topics, root, "anomaly", "v3")).isEqualTo(2);
            LiveModelKafka.sendRaw(KAFKA.broker(), topics, new ModelUpdate("anomaly", "v3", tampered.toString()));
            await().atMost(Duration.ofMinutes(1)).until(() -> LiveModelKafka.everySubtaskCounted(METRICS, job, "modelRefusals", 1));
            sendWindows(topics, "chat-after-refusal", start.plus(Duration.ofMinutes(15)), "latency=2@6m");
            await().atMost(Duration.ofMinutes(2)).until(() -> scopes(topics, "chat-after-refusal").contains(AlertScope.CANARY));

            assertThat(LiveModelKafka.publish(KAFKA.broker(), topics, root, "anomaly", "v2")).isZero();
            await().atMost(Duration.ofMinutes(1)).until(() -> LiveModelKafka.everySubtaskCounted(METRICS, job, "modelLoads", 2));
            sendWindows(topics, "chat-v2", start.plus(Duration.ofMinutes(30)), "latency=2@6m");
            await().atMost(Duration.ofMinutes(2)).until(() -> !alerts(topics, "chat-v2").isEmpty());
            // Refused once per subtask, never retried on the windows that followed.
            assertThat(LiveModelKafka.counters(METRICS, job.getJobID(), "modelRefusals")).containsOnly(1L);
        } finally {
            job.cancel().get();
        }
        assertThat(scopes(topics, "chat")).doesNotContain(AlertScope.BOTH);
        assertThat(alerts(topics, "chat")).filteredOn(a -> a.scope() == AlertScope.CANARY).allMatch(a -> a.effect() == Effect.ROLLBACK);
        assertThat(scopes(topics, "search")).doesNotContain(AlertScope.CANARY);
        assertThat(alerts(topics, "search")).noneMatch(Alert::demandsRollback);
        for (String release : List.of("chat", "search", "chat-after-refusal")) {
            assertThat(alerts(topics, release)).extracting(Alert::rule).containsOnly("anomaly@v1");
        }
        assertThat(alerts(topics, "chat-v2")).extracting(Alert::rule).containsOnly("anomaly@v2");
    }

    /** One simulated run's window metrics, canary and baseline of each window, keyed by release. */
    private static void sendWindows(Topics topics, String release, Instant start, String fault) throws Exception {
        SimulationConfig config = AnomalyTrainingData.config(77, 25, RUN, Fault.parse(fault)).toBuilder()
                .release(release).start(start).build();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(KAFKA.broker().clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (WindowPair pair : AnomalyTrainingData.windows(config, AnomalyTrainingData.WINDOW)) {
                for (CohortMetrics window : List.of(pair.baseline(), pair.canary())) {
                    producer.send(new ProducerRecord<>(topics.metrics(), release.getBytes(StandardCharsets.UTF_8), Json.toBytes(window)));
                }
            }
            producer.flush();
        }
    }

    private static List<Alert> alerts(Topics topics, String release) {
        return KAFKA.broker().readCommitted(topics.alerts()).stream().map(r -> Json.fromBytes(r.value(), Alert.class))
                .filter(a -> a.release().equals(release)).toList();
    }

    private static List<AlertScope> scopes(Topics topics, String release) {
        return alerts(topics, release).stream().map(Alert::scope).toList();
    }
}
