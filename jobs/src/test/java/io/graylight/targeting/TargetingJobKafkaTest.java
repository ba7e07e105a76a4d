package io.graylight.targeting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graylight.contracts.json.Json;
import io.graylight.contracts.targeting.TargetingScore;
import io.graylight.contracts.telemetry.TelemetryCodec;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.ml.store.ModelMetadata;
import io.graylight.ml.store.ModelStore;
import io.graylight.ml.targeting.PastRollouts;
import io.graylight.ml.targeting.TargetingModel;
import io.graylight.ml.targeting.TargetingTrainer;
import io.graylight.ml.targeting.UserFeatures;
import io.graylight.models.LiveModelKafka;
import io.graylight.models.ModelUpdate;
import io.graylight.models.ModelUpdates;
import io.graylight.options.JobOptions;
import io.graylight.sink.Topics;
import io.graylight.testing.EmbeddedKafkaExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The targeting job as deployed ({@link TargetingJob#forKafka}): telemetry on the telemetry topic,
 * scores read back committed from the compacted targeting topic as its consumers see it (the latest
 * record per userId). Every user with enough requests gets the model's score of all their
 * telemetry; a tampered version is refused while v1 keeps scoring new users; a version published
 * with {@code graylight models publish} re-scores every scored user.
 */
class TargetingJobKafkaTest {

    static final InMemoryReporter METRICS = InMemoryReporter.create();

    @RegisterExtension
    static final MiniClusterExtension FLINK = LiveModelKafka.miniCluster(METRICS);

    static final double MIN_CHANGE = 0.05;

    @TempDir
    static Path root;
    static Path v1;
    static TargetingModel model1;
    static TargetingModel model2;
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @BeforeAll
    static void setUp() throws Exception {
        PastRollouts.Dataset data = PastRollouts.generate(5, 1_500);
        model1 = new TargetingTrainer(2, 20).fit("gradient-boosting", data.x(), data.y(), 5);
        model2 = new TargetingTrainer(2, 20).fit("logistic-regression", data.x(), data.y(), 5);
        v1 = write("v1", "gradient-boosting", model1);
        write("v2", "logistic-regression", model2);
    }

    private static Path write(String version, String algorithm, TargetingModel model) throws Exception {
        return ModelStore.write(root, new ModelMetadata("targeting", version, algorithm, TargetingModel.class.getName(),
                ModelStore.MODEL_FILE, UserFeatures.NAMES, 0.5, 5, "test", "none", 1_500, Map.of(), ModelMetadata.SMILE_VERSION, "test"),
                model);
    }

    @Test
    void scoresPerUserThenATamperedVersionIsRefusedAndAPublishedOneReScoresEveryone() throws Exception {
        Topics topics = new Topics("targeting-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        KAFKA.broker().createTopics(2, topics.telemetry());
        KAFKA.broker().createTopics(1, true, topics.targeting(), ModelUpdates.topic(topics));
        JobOptions options = JobOptions.defaults().withBootstrapServers(KAFKA.broker().bootstrapServers()).withTopics(topics);
        // A TTL beyond the simulated week: state must outlive the test's event time.
        UserScorer.Settings settings = new UserScorer.Settings(v1.toString(), 5, MIN_CHANGE, Duration.ofDays(60));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(LiveModelKafka.PARALLELISM);
        env.enableCheckpointing(200);
        TargetingJob.forKafka(options, settings).build(env);
        JobClient job = env.executeAsync("targeting-kafka-test");
        Map<String, UserFeatures> users = new LinkedHashMap<>();
        List<String> before;
        List<String> after;
        try {
            before = send(topics, 9, 25, users);
            await().atMost(Duration.ofMinutes(2)).until(() -> scoredLike(latest(topics), before, users, model1, "v1", MIN_CHANGE));

            Path tampered = LiveModelKafka.tamperedCopy(v1, root, "targeting", "v3");
            assertThat(LiveModelKafka.publish(KAFKA.broker(), topics, root, "targeting", "v3")).isEqualTo(2);
            LiveModelKafka.sendRaw(KAFKA.broker(), topics, new ModelUpdate("targeting", "v3", tampered.toString()));
            await().atMost(Duration.ofMinutes(1)).until(() -> LiveModelKafka.everySubtaskCounted(METRICS, job, "modelRefusals", 1));
            after = send(topics, 10, 15, users);
            await().atMost(Duration.ofMinutes(2)).until(() -> scoredLike(latest(topics), after, users, model1, "v1", MIN_CHANGE));

            assertThat(LiveModelKafka.publish(KAFKA.broker(), topics, root, "targeting", "v2")).isZero();
            List<String> everyone = new ArrayList<>(before);
            everyone.addAll(after);
            // No new telemetry: the switch itself re-scores every user, with the exact score of all their telemetry.
            await().atMost(Duration.ofMinutes(2)).until(() -> scoredLike(latest(topics), everyone, users, model2, "v2", 1e-9));
            assertThat(LiveModelKafka.counters(METRICS, job.getJobID(), "modelRefusals")).containsOnly(1L);
        } finally {
            job.cancel().get();
        }
        assertThat(before).isNotEmpty();
        assertThat(after).isNotEmpty();
        // Users with fewer than 5 requests have no score under either version.
        assertThat(latest(topics).keySet()).containsExactlyInAnyOrderElementsOf(
                users.entrySet().stream().filter(e -> e.getValue().requests >= 5).map(Map.Entry::getKey).toList());
    }

    /** Whether every user in {@code expected} has a latest score of that model version, within {@code tolerance} of its score. */
    private static boolean scoredLike(Map<String, TargetingScore> latest, List<String> expected, Map<String, UserFeatures> users,
            TargetingModel model, String version, double tolerance) {
        return expected.stream().allMatch(user -> {
            TargetingScore score = latest.get(user);
            return score != null && score.version().equals(version)
                    && Math.abs(score.score() - model.score(users.get(user).vector())) <= tolerance + 1e-12;
        });
    }

    /**
     * Sends a simulated population's week of telemetry; returns the users that qualify for a score
     * (at least 5 requests) and records every user's features as the job should compute them.
     */
    private static List<String> send(Topics topics, long seed, int count, Map<String, UserFeatures> users) throws Exception {
        TelemetryCodec codec = new TelemetryCodec();
        List<String> qualifying = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(KAFKA.broker().clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (PastRollouts.User user : PastRollouts.population(seed, count)) {
                String id = user.id() + "-s" + seed;
                UserFeatures features = new UserFeatures();
                for (TelemetryEvent event : PastRollouts.observe(user, seed)) {
                    TelemetryEvent mine = withUser(event, id);
                    features.add(mine);
                    producer.send(new ProducerRecord<>(topics.telemetry(), id.getBytes(StandardCharsets.UTF_8), codec.encode(mine)));
                }
                users.put(id, features);
                if (features.requests >= 5) {
                    qualifying.add(id);
                }
            }
            producer.flush();
        }
        return qualifying;
    }

    /** The populations of two seeds reuse ids: each sent user gets its own. */
    private static TelemetryEvent withUser(TelemetryEvent e, String userId) {
        return new TelemetryEvent(e.type(), e.eventId() + "@" + userId, e.timestamp(), e.release(), e.cohort(), e.version(), userId,
                e.segment(), e.status(), e.latencyMs(), e.ttftMs(), e.inputTokens(), e.outputTokens(), e.costUsd(), e.qualityScore(),
                e.requestId() == null ? null : e.requestId() + "@" + userId, e.score());
    }

    private static Map<String, TargetingScore> latest(Topics topics) {
        Map<String, TargetingScore> latest = new LinkedHashMap<>();
        KAFKA.broker().readCommitted(topics.targeting()).forEach(r -> {
            TargetingScore score = Json.fromBytes(r.value(), TargetingScore.class);
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(score.userId());
            latest.put(score.userId(), score);
        });
        return latest;
    }
}
