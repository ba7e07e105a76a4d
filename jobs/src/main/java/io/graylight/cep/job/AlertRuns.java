package io.graylight.cep.job;

import io.graylight.cep.rules.InputKind;
import io.graylight.cep.rules.Rule;
import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.metrics.CohortMetrics;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.metrics.TelemetryMetricsJob;
import io.graylight.options.JobOptions;
import io.graylight.telemetry.SplitInvalidRecords;
import io.graylight.telemetry.TelemetrySources;
import io.graylight.types.JsonTypeInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The alert job on recorded telemetry files, composed with the metrics job for metrics rules (its
 * windows feed the canary-vs-baseline pairs directly, as {@code graylight.metrics} would):
 * {@code rules test}, the MiniCluster tests and the benchmark run it. Alerts carry their event
 * time as {@code emittedAt}, so a file always gives the same alerts.
 */
public final class AlertRuns {

    private AlertRuns() {}

    /**
     * @param progressId counts the telemetry lines read (null: no counting)
     * @param updates live parameter updates, or null
     * @param alerts where the alerts go (after cooldown)
     */
    public static DataStream<Alert> onFiles(StreamExecutionEnvironment env, List<Rule> rules, List<Path> files,
            String progressId, DataStream<ParamsUpdate> updates, Sink<Alert> alerts, JobOptions options) {
        DataStream<CohortMetrics> windows = null;
        if (rules.stream().anyMatch(r -> r.input() == InputKind.METRICS)) {
            windows = new TelemetryMetricsJob(TelemetrySources.files(files), new DiscardingSink<>(), new DiscardingSink<>(), options)
                    .build(env);
        }
        DataStream<TelemetryEvent> events = null;
        if (rules.stream().anyMatch(r -> r.input() == InputKind.TELEMETRY)) {
            events = env.fromSource(TelemetrySources.files(files, progressId),
                            TelemetrySources.watermarks(options, Duration.ofSeconds(1)), "cep-telemetry")
                    .uid("cep-telemetry-source")
                    .process(new SplitInvalidRecords(), JsonTypeInfo.of(TelemetryEvent.class))
                    .name("cep-split-invalid")
                    .uid("cep-split-invalid");
        }
        return new AlertJob(rules, null, null, null, alerts, options, true).build(env, events, windows, updates, true);
    }
}
