package io.graylight.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.json.Json;
import io.graylight.options.JobOptions;
import io.graylight.simulator.Fault;
import io.graylight.simulator.KafkaRecordSink;
import io.graylight.simulator.SimulatedRecord;
import io.graylight.simulator.SimulationConfig;
import io.graylight.simulator.TrafficSimulator;
import io.graylight.sink.Topics;
import io.graylight.testing.EmbeddedKafkaExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upgrade as {@code scripts/submit --upgrade} does it: the decision job, wired to Kafka as its
 * {@code main} wires it, is stopped with a savepoint mid-rollout and a newly built job graph is
 * submitted from that savepoint, with non-restored state refused. Because every operator's uid is
 * stable, the rollout goes on where it was: the decisions topic (read committed) holds one START
 * and one unbroken seq across both runs, and the canary fault of the second run rolls it back.
 * Lost state would show as a second START (the plan starts by itself) and a seq restarting at 1.
 */
class RolloutUpgradeTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final String PLAN = """
            release: "*"
            strategy: {type: percentage}
            stages: [10, 25, 50, 100]
            minStageDuration: 30s
            minSamples: 200
            alpha: 0.01
            guards:
              - {metric: error_rate, margin: 0.03}
            """;

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void stateCarriesOverAStopWithSavepointAndResubmit(@InjectClusterClient ClusterClient<?> client, @TempDir Path dir)
            throws Exception {
        Topics topics = new Topics("upgrade-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        KAFKA.broker().createTopics(2, topics.telemetry(), topics.commands(), topics.alerts());
        KAFKA.broker().createTopics(1, true, topics.decisions());
        Path plan = Files.writeString(dir.resolve("plan.yaml"), PLAN);
        JobOptions options = JobOptions.defaults()
                .withBootstrapServers(KAFKA.broker().bootstrapServers())
                .withTopics(topics)
                .withPlans(List.of(plan.toString()));
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(20));

        // before the upgrade: a healthy canary for 6 minutes of event time
        send(topics, SimulationConfig.builder().seed(31).start(start).releases(List.of("chat"))
                .canaryPercent(10).rateFactor(10).duration(Duration.ofMinutes(6)).build());
        JobID before = client.submitJob(jobGraph(options, SavepointRestoreSettings.none())).get();
        await().atMost(Duration.ofMinutes(4)).until(() -> decisions(topics).size() >= 2);
        String savepoint = client.stopWithSavepoint(before, false, dir.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get();
        List<DecisionRecord> beforeUpgrade = decisions(topics);
        assertThat(beforeUpgrade.get(0).action()).isEqualTo(Action.START);

        // after: the canary starts failing one minute into the next 5 minutes of event time
        send(topics, SimulationConfig.builder().seed(32).start(start.plus(Duration.ofMinutes(6))).releases(List.of("chat"))
                .canaryPercent(10).rateFactor(10).duration(Duration.ofMinutes(5))
                .fault(Fault.parse("error_rate=0.3@1m")).build());
        JobID after = client.submitJob(jobGraph(options, SavepointRestoreSettings.forPath(savepoint, false))).get();
        try {
            await().atMost(Duration.ofMinutes(4))
                    .until(() -> decisions(topics).stream().anyMatch(d -> d.action() == Action.ROLLBACK));
        } finally {
            client.cancel(after).get();
        }

        List<DecisionRecord> all = decisions(topics);
        assertThat(all).hasSizeGreaterThan(beforeUpgrade.size());
        assertThat(all.subList(0, beforeUpgrade.size())).as("what was committed before the upgrade stays").isEqualTo(beforeUpgrade);
        assertThat(all).extracting(DecisionRecord::seq)
                .as("one seq across the upgrade: none repeated, none missing, no restart at 1")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, all.size()).boxed().toList());
        assertThat(all).filteredOn(d -> d.action() == Action.START).as("the rollout was not started again").hasSize(1);
        assertThat(all.get(all.size() - 1).action()).isEqualTo(Action.ROLLBACK);
        assertThat(all.get(all.size() - 1).evidence()).extracting(e -> e.metric()).contains("error_rate");
    }

    /** The job graph {@code RolloutDecisionJob.main} submits, built anew as a new jar would build it. */
    private static JobGraph jobGraph(JobOptions options, SavepointRestoreSettings restore) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(500);
        RolloutDecisionJob.forKafka(options, null).build(env);
        JobGraph graph = env.getStreamGraph().getJobGraph();
        graph.setSavepointRestoreSettings(restore);
        return graph;
    }

    private static void send(Topics topics, SimulationConfig config) throws Exception {
        try (KafkaRecordSink sink = new KafkaRecordSink(KAFKA.broker().bootstrapServers(), topics.telemetry())) {
            for (SimulatedRecord record : new TrafficSimulator(config)) {
                sink.write(record);
            }
        }
    }

    private static List<DecisionRecord> decisions(Topics topics) {
        return KAFKA.broker().readCommitted(topics.decisions()).stream()
                .map(r -> Json.fromBytes(r.value(), DecisionRecord.class))
                .filter(d -> d.release().equals("chat"))
                .toList();
    }
}
