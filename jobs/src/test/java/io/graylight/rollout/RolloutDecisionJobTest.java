package io.graylight.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.json.Json;
import io.graylight.options.JobOptions;
import io.graylight.simulator.Fault;
import io.graylight.simulator.JsonLinesSink;
import io.graylight.simulator.SimulatedRecord;
import io.graylight.simulator.SimulationConfig;
import io.graylight.simulator.TrafficSimulator;
import io.graylight.telemetry.TelemetrySources;
import io.graylight.testing.CollectingSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The decision job on a MiniCluster over recorded telemetry files, as replay runs it. */
class RolloutDecisionJobTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir
    Path dir;


    @Test
    void aHealthyCanaryReachesCompleteThroughEveryStage() throws Exception {
        Path telemetry = simulate(SimulationConfig.builder().seed(4).canaryPercent(25).rateFactor(10)
                .duration(Duration.ofMinutes(25)).build());

        List<DecisionRecord> decisions = run(telemetry, 2);

        assertThat(decisions).extracting(DecisionRecord::action).doesNotContain(Action.ROLLBACK).endsWith(Action.COMPLETE);
        assertThat(decisions).filteredOn(d -> d.action() == Action.PROMOTE).extracting(DecisionRecord::canaryPercent)
                .containsExactly(25.0, 50.0);
        assertThat(decisions.get(decisions.size() - 1).canaryPercent()).isEqualTo(100.0);
        assertSeqGapFree(decisions);
    }

    @Test
    void aRegressionGivesStartThenRollbackWithEvidenceNamingTheMetric() throws Exception {
        Path telemetry = simulate(SimulationConfig.builder().seed(4).canaryPercent(25).rateFactor(10)
                .duration(Duration.ofMinutes(25)).fault(Fault.parse("error_rate=0.12@2m")).build());

        List<DecisionRecord> decisions = run(telemetry, 2);

        assertThat(decisions.get(0).action()).isEqualTo(Action.START);
        DecisionRecord last = decisions.get(decisions.size() - 1);
        assertThat(last.action()).isEqualTo(Action.ROLLBACK);
        assertThat(last.canaryPercent()).isZero();
        assertThat(last.evidence()).extracting(e -> e.metric()).containsExactly("error_rate");
        assertThat(last.evidence().get(0).canary()).isGreaterThan(last.evidence().get(0).baseline() + 0.03);
        assertThat(last.evidence().get(0).value()).isGreaterThan(last.evidence().get(0).threshold());
        assertThat(last.reason()).startsWith("canary worse than baseline beyond the margin: error_rate");
        assertSeqGapFree(decisions);
    }

    @Test
    void replayingTheSameFileTwiceGivesIdenticalDecisions() throws Exception {
        Path telemetry = simulate(SimulationConfig.builder().seed(9).canaryPercent(25).rateFactor(10)
                .releases(List.of("chat", "search")).duration(Duration.ofMinutes(20))
                .fault(Fault.parse("latency=2@5m")).duplicateRate(0.02).malformedRate(0.01).build());

        List<String> first = run(telemetry, 1).stream().map(Json::toString).toList();
        List<String> second = run(telemetry, 1).stream().map(Json::toString).toList();

        assertThat(first).isNotEmpty().isEqualTo(second);
        assertThat(first).anyMatch(d -> d.contains("\"release\":\"chat\"")).anyMatch(d -> d.contains("\"release\":\"search\""));
    }

    private List<DecisionRecord> run(Path telemetry, int parallelism) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        CollectingSink<DecisionRecord> decisions = new CollectingSink<>();
        RolloutDecisionJob.forReplay(TelemetrySources.files(List.of(telemetry)), List.of(), decisions, JobOptions.defaults(),
                List.of(new RolloutJudge.PlanSource(RolloutTest.PLAN.replace("release: chat", "release: \"*\""), "test-plan.yaml")),
                true).build(env);
        env.execute("decision-job-test");
        return decisions.collected().stream()
                .sorted(java.util.Comparator.comparing(DecisionRecord::release).thenComparingLong(DecisionRecord::seq))
                .toList();
    }

    private Path simulate(SimulationConfig config) throws Exception {
        Path file = Files.createTempFile(dir, "telemetry", ".jsonl");
        try (JsonLinesSink sink = JsonLinesSink.toFile(file)) {
            for (SimulatedRecord record : new TrafficSimulator(config)) {
                sink.write(record);
            }
        }
        return file;
    }

    static void assertSeqGapFree(List<DecisionRecord> decisions) {
        decisions.stream().collect(java.util.stream.Collectors.groupingBy(DecisionRecord::release)).forEach((release, list) ->
                assertThat(list).extracting(DecisionRecord::seq)
                        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, list.size()).boxed().toList()));
    }
}
