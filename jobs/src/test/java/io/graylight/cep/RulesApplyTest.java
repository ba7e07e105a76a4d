package io.graylight.cep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graylight.cep.apply.AlertJobCluster.RunningJob;
import io.graylight.cep.apply.AlertJobCluster;
import io.graylight.cep.cli.RulesCli;
import io.graylight.cep.job.AlertJob;
import io.graylight.cep.rules.RulesSnapshot;
import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.json.Json;
import io.graylight.contracts.telemetry.Cohort;
import io.graylight.contracts.telemetry.RequestStatus;
import io.graylight.contracts.telemetry.TelemetryCodec;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.sink.Topics;
import io.graylight.testing.EmbeddedKafkaExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.rest.messages.job.JobDetailsInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code graylight rules apply} against a real cluster's REST API (MiniCluster) and a real broker:
 * partial matches of unchanged rules survive a shape change of others, refused rules leave the job
 * alone, and a new job that cannot start gives way to the old one, restored from the same savepoint.
 */
class RulesApplyTest {

    private static final Configuration CLUSTER = new Configuration();

    static {
        // What config.yaml sets on a real cluster: `rules apply` builds job graphs with it, as flink run does.
        CLUSTER.setString("execution.checkpointing.interval", "300 ms");
        CLUSTER.setString("metrics.fetcher.update-interval", "200");
    }

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(CLUSTER)
            .build());

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path dir;

    private Topics topics;
    private URI rest;
    private AlertJobCluster cluster;

    @BeforeEach
    void setUp() throws Exception {
        topics = new Topics("apply-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        KAFKA.broker().createTopics(1, topics.telemetry(), topics.alerts());
        KAFKA.broker().createTopics(1, true, topics.prefix() + "rules");
        Configuration client = FLINK.getClientConfiguration();
        rest = URI.create("http://" + client.get(RestOptions.ADDRESS) + ":" + client.get(RestOptions.PORT));
        cluster = new AlertJobCluster(rest, Duration.ofMinutes(1));
    }

    @AfterEach
    void cancelJobs() throws Exception {
        RunningJob job;
        try {
            job = cluster.find(AlertJob.NAME);
        } catch (AlertJobCluster.ClusterException none) {
            job = null;
        }
        if (job != null) {
            cluster.cancel(job.id());
        }
        cluster.close();
    }

    @Test
    void unchangedRulesKeepTheirPartialMatchesReshapedStartAfreshRemovedAreGone() throws Exception {
        Path v1 = rules("v1", rule("keep", "times: 3", "10m"), rule("reshape", "times: 3", "10m"), rule("gone", "times: 4", "10m"));
        Path v2 = rules("v2", rule("keep", "times: 3", "10m"), rule("reshape", "times: 3", "9m"), rule("added", "times: 1", "10m"));
        JobID old = start(v1);
        try (Telemetry telemetry = new Telemetry()) {
            telemetry.slow("before-1");
            telemetry.slow("before-2");
            telemetry.tick();
            // In the CEP operators' state, not only in Kafka: else the new job would read them again from the
            // savepoint's offsets and the test would pass without any partial match surviving. The CEP
            // operators are chained behind their router: its task reads the two slow events once per rule
            // (three rules; the tick matches none) and hands each to its CEP operator in the same call.
            awaitRecordsIn(old, "cep keep", 6);

            Result applied = rulesCli("apply", v2.toString());
            assertThat(applied.exit).as(applied.err).isZero();
            assertThat(applied.out).containsPattern("unchanged.*keep").containsPattern("reshaped.*reshape")
                    .containsPattern("removed.*gone").containsPattern("added.*added");
            RunningJob now = cluster.find(AlertJob.NAME);
            assertThat(now.id()).isNotEqualTo(old);
            assertThat(applied.out).contains("applied: new job " + now.id());
            assertThat(vertexNames(now.id())).noneMatch(n -> n.contains("cep gone")).anyMatch(n -> n.contains("cep added"));

            telemetry.slow("after-1");
            telemetry.tick();
            Alert keep = awaitAlert("keep");
            assertThat(keep.matched().eventIds()).containsExactly("before-1", "before-2", "after-1");

            telemetry.slow("after-2");
            telemetry.slow("after-3");
            telemetry.tick();
            Alert reshaped = awaitAlert("reshape");
            assertThat(reshaped.matched().eventIds()).containsExactly("after-1", "after-2", "after-3");
            assertThat(awaitAlert("added").matched().eventIds()).containsExactly("after-1");
        }
        // five slow events in all: "gone" (4 in 10 min) would have fired had it survived
        assertThat(alerts()).noneMatch(a -> a.rule().equals("gone"));
        assertThat(alerts().stream().filter(a -> a.rule().equals("keep"))).hasSize(1);
    }

    @Test
    void refusedRulesLeaveTheRunningJobAlone() throws Exception {
        Path v1 = rules("v1", rule("keep", "times: 3", "10m"));
        Path bad = rules("bad", rule("keep", "times: 0", "10m"));
        JobID old = start(v1);

        Result refused = rulesCli("apply", bad.toString());

        assertThat(refused.exit).isEqualTo(2);
        assertThat(refused.err).containsPattern(java.util.regex.Pattern.quote(bad.resolve("keep.yaml").toString()) + ":\\d+:\\d+: ")
                .contains("untouched");
        assertThat(cluster.status(old)).isEqualTo(JobStatus.RUNNING);
        assertThat(cluster.find(AlertJob.NAME).id()).isEqualTo(old);
    }

    @Test
    void aNewJobThatCannotRestoreGivesWayToTheOldOneFromTheSameSavepoint() throws Exception {
        Path v1 = rules("v1", rule("keep", "times: 3", "10m"));
        Path v2 = rules("v2", rule("keep", "times: 3", "10m"), rule("added", "times: 1", "10m"));
        JobID old = start(v1);
        try (Telemetry telemetry = new Telemetry()) {
            telemetry.slow("before-1");
            telemetry.slow("before-2");
            telemetry.tick();
            awaitRecordsIn(old, "cep keep", 2); // one rule: the two slow events

            // A real restore failure after the stop: Flink refuses keyed state written with another
            // maximum parallelism (the old job's is the default, 128) when the new job fixes its own.
            Result failed = rulesCli("apply", v2.toString(), "-D", "pipeline.max-parallelism=64");

            assertThat(failed.exit).as(failed.out + failed.err).isEqualTo(1);
            assertThat(failed.err).contains("the new job did not start").containsPattern("(?i)max(imum)? parallelism").contains("old rules run again");
            RunningJob back = cluster.find(AlertJob.NAME);
            assertThat(back.id()).isNotEqualTo(old);
            assertThat(failed.out).contains("restored: old job " + back.id());
            assertThat(back.snapshot().rules()).extracting(r -> r.id()).containsExactly("keep");
            assertThat(vertexNames(back.id())).noneMatch(n -> n.contains("cep added"));

            telemetry.slow("after-1");
            telemetry.tick();
            // from the savepoint: the old job's two partial events are back
            assertThat(awaitAlert("keep").matched().eventIds()).containsExactly("before-1", "before-2", "after-1");
        }
    }

    // --- helpers

    private JobID start(Path rules) throws Exception {
        Map<String, String> options = Map.of("bootstrap-servers", KAFKA.broker().bootstrapServers(), "topic-prefix", topics.prefix(),
                "rules", rules.toString());
        JobID id = cluster.submit(cluster.jobGraph(RulesSnapshot.read(rules), options, 1, Map.of(), null));
        assertThat(cluster.awaitRunning(id)).isNull();
        return id;
    }

    private Result rulesCli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--rest", rest.toString(), "--no-jar", "--timeout", "1m", "--savepoint-dir", dir.resolve("savepoints").toUri().toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new RulesCli()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(all.toArray(String[]::new));
        return new Result(exit, out.toString(), err.toString());
    }

    record Result(int exit, String out, String err) {}

    /** Until the task that holds the operator named {@code operator} (chained or not) has read {@code records}. */
    private void awaitRecordsIn(JobID job, String operator, long records) {
        await().atMost(Duration.ofSeconds(60)).until(() -> details(job).getJobVertexInfos().stream()
                .filter(v -> java.util.Arrays.stream(v.getName().split(" -> |[()]|, ")).map(String::strip).anyMatch(operator::equals))
                .anyMatch(v -> v.getJobVertexMetrics().isRecordsReadComplete() && v.getJobVertexMetrics().getRecordsRead() >= records));
    }

    private List<String> vertexNames(JobID job) throws Exception {
        return details(job).getJobVertexInfos().stream().map(JobDetailsInfo.JobVertexDetailsInfo::getName).toList();
    }

    private JobDetailsInfo details(JobID job) throws Exception {
        try (var client = new org.apache.flink.client.program.rest.RestClusterClient<>(FLINK.getClientConfiguration(),
                org.apache.flink.client.deployment.StandaloneClusterId.getInstance())) {
            return client.getJobDetails(job).get();
        }
    }

    private Alert awaitAlert(String rule) {
        return await().atMost(Duration.ofSeconds(90)).until(
                () -> alerts().stream().filter(a -> a.rule().equals(rule)).findFirst(), java.util.Optional::isPresent).orElseThrow();
    }

    private List<Alert> alerts() {
        return KAFKA.broker().readCommitted(topics.alerts()).stream().map(r -> Json.fromBytes(r.value(), Alert.class)).toList();
    }

    private Path rules(String name, String... files) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        for (String f : files) {
            String id = f.substring("id: ".length(), f.indexOf('\n'));
            Files.writeString(d.resolve(id + ".yaml"), f);
        }
        return d;
    }

    /** A rule over slow canary requests (a count within a time: the shape is the quantifier and `within`). */
    private static String rule(String id, String quantifier, String within) {
        return """
                id: %s
                severity: warning
                effect: notify
                filter: type == "request"
                pattern:
                  - name: slow
                    condition: latencyMs > 5000.0
                    %s
                within: %s
                cooldown: 0s
                message: "{release}: {count} slow requests"
                """.formatted(id, quantifier, within);
    }

    /** Telemetry with rising event time; a tick far ahead moves the watermark past what came before. */
    private final class Telemetry implements AutoCloseable {
        private final KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KAFKA.broker().clientProperties(),
                new ByteArraySerializer(), new ByteArraySerializer());
        private final TelemetryCodec codec = new TelemetryCodec();
        // in the recent past: the parser refuses events dated beyond max-future-skew after their Kafka timestamp
        private Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
        private int ticks;

        void slow(String eventId) throws Exception {
            now = now.plusSeconds(1);
            send(TelemetryEvent.request(eventId, now, "chat", Cohort.CANARY, "v2", "u-" + eventId, Map.of(), RequestStatus.OK,
                    9000.0, 100.0, 10L, 10L, 0.001, 0.9));
        }

        void tick() throws Exception {
            now = now.plusSeconds(30);
            send(TelemetryEvent.request("tick-" + (++ticks), now, "chat", Cohort.CANARY, "v2", "u0", Map.of(), RequestStatus.OK,
                    1.0, 1.0, 1L, 1L, 0.0, 0.9));
        }

        private void send(TelemetryEvent e) throws Exception {
            producer.send(new ProducerRecord<>(topics.telemetry(), e.userId().getBytes(StandardCharsets.UTF_8), codec.encode(e))).get();
        }

        @Override
        public void close() {
            producer.close();
        }
    }
}
