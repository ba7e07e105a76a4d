package io.graylight.anomaly;

import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.alert.Effect;
import io.graylight.contracts.metrics.CohortMetrics;
import io.graylight.models.ModelUpdate;
import io.graylight.models.ModelUpdates;
import io.graylight.options.JobOptions;
import io.graylight.sink.JsonKafkaSink;
import io.graylight.types.JsonRecordDeserializer;
import io.graylight.types.JsonTypeInfo;
import java.time.Duration;
import java.util.Locale;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.utils.ParameterTool;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Anomaly alerts from the per-cohort window metrics: {@code graylight.metrics} → keyed by release
 * → {@link AnomalyScorer} (Isolation Forests of {@code ml-models/anomaly/VERSION}) → exactly-once
 * to {@code graylight.alerts} (key = release). Model versions are switched live by records on the
 * compacted {@code graylight.models} topic (key = model, value {@code {"model":"anomaly",
 * "version":"v2","path":"/models/anomaly/v2"}}; {@code graylight models publish anomaly v2}),
 * broadcast to every scorer ({@link ModelUpdates}).
 *
 * <p>Options ({@code --name value}): those of {@link JobOptions} ({@code bootstrap-servers},
 * {@code topic-prefix}, {@code consumer-group}, {@code max-out-of-orderness}, {@code idleness},
 * {@code delivery-guarantee}, {@code transaction-timeout}, {@code transactional-id-prefix}), and
 * {@code model-dir} ({@code ml-models/anomaly/v2}), {@code canary-effect} ({@code hold} or
 * {@code rollback}; default hold), {@code hold} (how long an alert's hold lasts, default 2 min),
 * {@code pairing-grace} (how late a cohort's window may follow its partner, 30 s),
 * {@code idle-ttl} (state of a release without windows is dropped after, 1 h).
 * A metrics record that is not valid JSON is skipped and counted, never fatal.
 */
public final class AnomalyJob {

    public static final String NAME = "graylight-anomaly";
    public static final String DEFAULT_MODEL_DIR = "ml-models/anomaly/v2";

    private final Source<CohortMetrics, ?, ?> metrics;
    private final Source<ModelUpdate, ?, ?> models;
    private final Sink<Alert> alerts;
    private final AnomalyScorer scorer;
    private final Duration maxOutOfOrderness;
    private final Duration idleness;

    /** @param models model updates; null for a fixed model */
    public AnomalyJob(Source<CohortMetrics, ?, ?> metrics, Source<ModelUpdate, ?, ?> models, Sink<Alert> alerts,
            AnomalyScorer scorer, Duration maxOutOfOrderness, Duration idleness) {
        this.metrics = metrics;
        this.models = models;
        this.alerts = alerts;
        this.scorer = scorer;
        this.maxOutOfOrderness = maxOutOfOrderness;
        this.idleness = idleness;
    }

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        JobOptions options = JobOptions.fromArgs(args);
        Effect canaryEffect = Effect.valueOf(params.get("canary-effect", "hold").toUpperCase(Locale.ROOT));
        AnomalyAlerts alertOptions = new AnomalyAlerts(canaryEffect, Duration.parse("PT" + params.get("hold", "2M").toUpperCase(Locale.ROOT)), false);
        AnomalyScorer scorer = new AnomalyScorer(params.get("model-dir", DEFAULT_MODEL_DIR), alertOptions,
                Duration.parse("PT" + params.get("pairing-grace", "30S").toUpperCase(Locale.ROOT)),
                Duration.parse("PT" + params.get("idle-ttl", "1H").toUpperCase(Locale.ROOT)));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        forKafka(options, scorer).build(env);
        env.execute(NAME);
    }

    /** The deployed wiring: metrics and model updates from Kafka, alerts exactly-once to Kafka. */
    public static AnomalyJob forKafka(JobOptions options, AnomalyScorer scorer) {
        return new AnomalyJob(kafkaMetrics(options, null), ModelUpdates.kafka(options, AnomalyScorer.MODEL),
                JsonKafkaSink.create(options.bootstrapServers(), options.topics().alerts(), Alert::release,
                        options.deliveryGuarantee(), options.transactionalId("anomaly-alerts"), options.transactionTimeout()),
                scorer, options.maxOutOfOrderness(), options.idleness());
    }

    public static KafkaSource<CohortMetrics> kafkaMetrics(JobOptions options, OffsetsInitializer stopAt) {
        var builder = KafkaSource.<CohortMetrics>builder()
                .setBootstrapServers(options.bootstrapServers())
                .setTopics(options.topics().metrics())
                .setGroupId(options.consumerGroup("anomaly"))
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setProperty("isolation.level", "read_committed")
                .setDeserializer(new JsonRecordDeserializer<>(CohortMetrics.class));
        if (stopAt != null) {
            builder.setBounded(stopAt);
        }
        return builder.build();
    }

    public DataStream<Alert> build(StreamExecutionEnvironment env) {
        DataStream<CohortMetrics> windows = env
                .fromSource(metrics, WatermarkStrategy.<CohortMetrics>forBoundedOutOfOrderness(maxOutOfOrderness)
                        .withTimestampAssigner((m, previous) -> m.windowEnd().toEpochMilli() - 1)
                        .withIdleness(idleness), "metrics")
                .uid("anomaly-metrics-source");
        return build(env, windows);
    }

    /**
     * The topology on a metrics stream that already carries event time (window end), e.g. the
     * metrics job's output in one pipeline (replay, demo, tests); the metrics source is not used.
     */
    public DataStream<Alert> build(StreamExecutionEnvironment env, DataStream<CohortMetrics> metricsStream) {
        DataStream<CohortMetrics> windows = metricsStream
                .filter(m -> m != null && m.release() != null && m.windowEnd() != null && m.cohort() != null)
                .name("drop-unreadable-metrics")
                .uid("anomaly-drop-unreadable");
        BroadcastStream<ModelUpdate> broadcast = ModelUpdates.broadcast(env, models, AnomalyScorer.MODEL);
        DataStream<Alert> out = windows
                .keyBy(CohortMetrics::release)
                .connect(broadcast)
                .process(scorer, JsonTypeInfo.of(Alert.class))
                .name("anomaly-scorer")
                .uid("anomaly-scorer");
        out.sinkTo(alerts).name("alerts-sink").uid("anomaly-alerts-sink");
        return out;
    }
}
