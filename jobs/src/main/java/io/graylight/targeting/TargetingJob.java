package io.graylight.targeting;

import io.graylight.contracts.targeting.TargetingScore;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.models.ModelUpdate;
import io.graylight.models.ModelUpdates;
import io.graylight.options.JobOptions;
import io.graylight.sink.JsonKafkaSink;
import io.graylight.telemetry.SplitInvalidRecords;
import io.graylight.telemetry.TelemetryRecord;
import io.graylight.telemetry.TelemetrySources;
import io.graylight.types.JsonTypeInfo;
import java.time.Duration;
import java.util.Locale;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.utils.ParameterTool;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Rollout-suitability scores from telemetry: {@code graylight.telemetry} → valid events → keyed by
 * userId → {@link UserScorer} (features in keyed state, the targeting model of
 * {@code ml-models/targeting/VERSION}) → exactly-once upserts to the compacted
 * {@code graylight.targeting} topic (key = userId). Invalid records are dropped here: the metrics
 * job already sends them to the dead-letter topic. Model versions are switched live, as in the
 * anomaly job, by records of model {@code targeting} on the compacted {@code graylight.models}
 * topic ({@code graylight models publish targeting v2}; {@link ModelUpdates}); every scored user is
 * then re-scored by the new version.
 *
 * <p>Options ({@code --name value}): those of {@link JobOptions} ({@code bootstrap-servers},
 * {@code topic-prefix}, {@code consumer-group}, {@code max-out-of-orderness}, {@code idleness},
 * {@code max-future-skew}, {@code delivery-guarantee}, {@code transaction-timeout},
 * {@code transactional-id-prefix}), and {@code model-dir} ({@code ml-models/targeting/v1}),
 * {@code min-requests} (5), {@code min-change} (0.05), {@code user-ttl} (7 d, as {@code 168h}).
 */
public final class TargetingJob {

    public static final String NAME = "graylight-targeting";
    public static final String DEFAULT_MODEL_DIR = "ml-models/targeting/v1";

    private final Source<TelemetryRecord, ?, ?> telemetry;
    private final Source<ModelUpdate, ?, ?> models;
    private final Sink<TargetingScore> scores;
    private final UserScorer.Settings settings;
    private final JobOptions options;

    /** @param models model updates; null for a fixed model */
    public TargetingJob(Source<TelemetryRecord, ?, ?> telemetry, Source<ModelUpdate, ?, ?> models, Sink<TargetingScore> scores,
            UserScorer.Settings settings, JobOptions options) {
        this.telemetry = telemetry;
        this.models = models;
        this.scores = scores;
        this.settings = settings;
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        JobOptions options = JobOptions.fromArgs(args);
        UserScorer.Settings settings = new UserScorer.Settings(params.get("model-dir", DEFAULT_MODEL_DIR),
                params.getInt("min-requests", 5), params.getDouble("min-change", 0.05),
                Duration.parse("PT" + params.get("user-ttl", "168h").toUpperCase(Locale.ROOT)));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        forKafka(options, settings).build(env);
        env.execute(NAME);
    }

    /** The deployed wiring: telemetry and model updates from Kafka, scores exactly-once to Kafka. */
    public static TargetingJob forKafka(JobOptions options, UserScorer.Settings settings) {
        return new TargetingJob(TelemetrySources.kafka(options, "targeting", null), ModelUpdates.kafka(options, UserScorer.MODEL),
                JsonKafkaSink.create(options.bootstrapServers(), options.topics().targeting(), TargetingScore::userId,
                        options.deliveryGuarantee(), options.transactionalId("targeting"), options.transactionTimeout()),
                settings, options);
    }

    public DataStream<TargetingScore> build(StreamExecutionEnvironment env) {
        DataStream<TelemetryEvent> valid = env
                .fromSource(telemetry, TelemetrySources.watermarks(options, options.slide()), "telemetry")
                .uid("targeting-telemetry-source")
                .process(new SplitInvalidRecords())
                .name("split-invalid")
                .uid("targeting-split-invalid");
        DataStream<TargetingScore> out = valid
                .keyBy(TelemetryEvent::userId)
                .connect(ModelUpdates.broadcast(env, models, UserScorer.MODEL))
                .process(new UserScorer(settings), JsonTypeInfo.of(TargetingScore.class))
                .name("user-scorer")
                .uid("targeting-user-scorer");
        out.sinkTo(scores).name("targeting-sink").uid("targeting-sink");
        return out;
    }
}
