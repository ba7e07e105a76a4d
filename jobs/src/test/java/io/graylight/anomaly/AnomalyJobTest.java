package io.graylight.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.alert.AlertScope;
import io.graylight.contracts.alert.Effect;
import io.graylight.contracts.metrics.CohortMetrics;
import io.graylight.metrics.TelemetryMetricsJob;
import io.graylight.options.JobOptions;
import io.graylight.simulator.Fault;
import io.graylight.simulator.SimulatedRecord;
import io.graylight.simulator.SimulationConfig;
import io.graylight.simulator.TrafficSimulator;
import io.graylight.telemetry.TelemetrySources;
import io.graylight.testing.CollectingSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Telemetry → metrics job → anomaly job on a MiniCluster (1 TM × 2 slots): a simulated
 * both-cohort incident and a canary regression in two releases of one file, each release's alerts
 * with the right scope.
 */
class AnomalyJobTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final Duration ONSET = Duration.ofMinutes(6);

    @TempDir
    static Path dir;

    /**
     * The shipped model: the pipeline is tested with what is deployed. (A 6-run test model blamed
     * the canary for one window at this incident's onset once the forests' inputs were standardized;
     * the shipped v2 keeps incidents off the canary on its held-out runs, see the README.)
     */
    static final Path model = Path.of("..").resolve(AnomalyJob.DEFAULT_MODEL_DIR);

    private static Path telemetry(String release, long seed, String fault) throws Exception {
        SimulationConfig config = AnomalyTrainingData.config(seed, 25, Duration.ofMinutes(10), Fault.parse(fault))
                .toBuilder().release(release).build();
        List<String> lines = new ArrayList<>();
        for (SimulatedRecord record : new TrafficSimulator(config)) {
            lines.add(record.text());
        }
        Path file = dir.resolve(release + ".jsonl");
        Files.write(file, lines);
        return file;
    }

    @Test
    void incidentAndCanaryRegressionGetTheirScopes() throws Exception {
        Path incident = telemetry("search", 41, "latency=2@6m:both");
        Path regression = telemetry("chat", 42, "latency=2@6m");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        CollectingSink<CohortMetrics> metricsSink = new CollectingSink<>();
        CollectingSink<Alert> alertSink = new CollectingSink<>();
        DataStream<CohortMetrics> metrics = new TelemetryMetricsJob(TelemetrySources.files(List.of(incident, regression)),
                metricsSink, new CollectingSink<>(), JobOptions.defaults()).build(env);
        AnomalyScorer scorer = new AnomalyScorer(model.toString(), new AnomalyAlerts(Effect.ROLLBACK, Duration.ofMinutes(2), true),
                Duration.ofSeconds(30), Duration.ofHours(1));
        new AnomalyJob(null, null, alertSink, scorer, Duration.ofSeconds(5), Duration.ofSeconds(30)).build(env, metrics);
        env.execute("anomaly-pipeline-test");

        Instant onset = SimulationConfig.DEFAULT_START.plus(ONSET);
        List<Alert> alerts = alertSink.collected();
        List<Alert> search = alerts.stream().filter(a -> a.release().equals("search") && a.eventTime().isAfter(onset)).toList();
        List<Alert> chat = alerts.stream().filter(a -> a.release().equals("chat") && a.eventTime().isAfter(onset)).toList();
        assertThat(search).extracting(Alert::scope).contains(AlertScope.BOTH).doesNotContain(AlertScope.CANARY);
        assertThat(search).noneMatch(Alert::demandsRollback);
        assertThat(chat).extracting(Alert::scope).contains(AlertScope.CANARY).doesNotContain(AlertScope.BOTH);
        assertThat(chat).filteredOn(a -> a.scope() == AlertScope.CANARY).allMatch(a -> a.effect() == Effect.ROLLBACK);
        assertThat(alerts).extracting(Alert::alertId).doesNotHaveDuplicates();
    }
}
