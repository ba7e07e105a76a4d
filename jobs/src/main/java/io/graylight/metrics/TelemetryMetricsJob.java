package io.graylight.metrics;

import io.graylight.contracts.metrics.CohortMetrics;
import io.graylight.contracts.telemetry.DeadLetter;
import io.graylight.contracts.json.Json;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.contracts.telemetry.ValidationProblem;
import io.graylight.sink.JsonKafkaSink;
import io.graylight.telemetry.DeduplicateEvents;
import io.graylight.telemetry.SplitInvalidRecords;
import io.graylight.telemetry.TelemetryRecord;
import io.graylight.telemetry.TelemetrySources;
import io.graylight.options.JobOptions;
import java.time.Instant;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Per-cohort window metrics from cohort-tagged telemetry.
 *
 * <pre>
 * telemetry ─► parse + validate (in the source) ─► valid? ─no─► dead letters
 *                                                    │yes
 *                         keyBy eventId ─► de-duplicate (event-time expiry)
 *                         keyBy release/cohort ─► event-time window ─► metrics
 *                                                    └─ late ─► dead letters
 * </pre>
 *
 * <p>Options ({@link JobOptions}, given as {@code --name value}): {@code bootstrap-servers},
 * {@code topic-prefix}, {@code consumer-group} (prefix), {@code window} (10 s), {@code slide} (= window),
 * {@code max-out-of-orderness} (5 s), {@code idleness} (30 s), {@code dedup-ttl} (10 min),
 * {@code max-future-skew} (15 min), {@code delivery-guarantee} (EXACTLY_ONCE),
 * {@code transaction-timeout} (10 min), {@code transactional-id-prefix}. Checkpointing and state
 * backend come from the cluster's {@code config.yaml}.
 */
public final class TelemetryMetricsJob {

    public static final String NAME = "graylight-telemetry-metrics";

    /** Events behind the watermark by more than the allowed out-of-orderness. */
    public static final OutputTag<MetricSample> LATE_EVENTS = new OutputTag<>("late-events") {};

    private final Source<TelemetryRecord, ?, ?> telemetry;
    private final Sink<CohortMetrics> metrics;
    private final Sink<DeadLetter> deadLetters;
    private final JobOptions options;

    public TelemetryMetricsJob(
            Source<TelemetryRecord, ?, ?> telemetry,
            Sink<CohortMetrics> metrics,
            Sink<DeadLetter> deadLetters,
            JobOptions options) {
        this.telemetry = telemetry;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        JobOptions options = JobOptions.fromArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        forKafka(options).build(env);
        env.execute(NAME);
    }

    /** The job wired to Kafka: telemetry in, metrics and dead letters out. */
    public static TelemetryMetricsJob forKafka(JobOptions options) {
        return forKafka(options, null);
    }

    /** @param stopAt where the telemetry source stops (bounded runs); null to follow it forever */
    public static TelemetryMetricsJob forKafka(JobOptions options, OffsetsInitializer stopAt) {
        return new TelemetryMetricsJob(
                TelemetrySources.kafka(options, "metrics", stopAt),
                JsonKafkaSink.create(options.bootstrapServers(), options.topics().metrics(),
                        m -> m.release() + "/" + m.cohort(), options.deliveryGuarantee(),
                        options.transactionalId("metrics"), options.transactionTimeout()),
                JsonKafkaSink.create(options.bootstrapServers(), options.topics().deadLetters(),
                        DeadLetter::origin, options.deliveryGuarantee(),
                        options.transactionalId("metrics-dlq"), options.transactionTimeout()),
                options);
    }

    /** Adds the topology to {@code env}; returns the metrics stream for jobs that build on it. */
    public DataStream<CohortMetrics> build(StreamExecutionEnvironment env) {
        // No function here mutates or keeps its input: chained operators may pass objects on uncopied.
        env.getConfig().enableObjectReuse();
        SingleOutputStreamOperator<TelemetryEvent> valid = env
                .fromSource(telemetry, TelemetrySources.watermarks(options, options.slide()), "telemetry")
                .uid("telemetry-source")
                .process(new SplitInvalidRecords())
                .name("split-invalid")
                .uid("split-invalid");

        DataStream<MetricSample> unique = valid
                .map(MetricSample::of)
                .name("to-metric-sample")
                .uid("to-metric-sample")
                .keyBy(sample -> sample.eventId)
                .process(new DeduplicateEvents<>(options.dedupTtl()), TypeInformation.of(MetricSample.class))
                .name("deduplicate")
                .uid("deduplicate");

        SingleOutputStreamOperator<CohortMetrics> windowed = unique
                .keyBy(new CohortKey())
                .window(windowAssigner(options))
                .sideOutputLateData(LATE_EVENTS)
                .aggregate(new CohortAggregate(), new EmitCohortMetrics())
                .name("cohort-window-metrics")
                .uid("cohort-window-metrics");

        DataStream<DeadLetter> late = windowed.getSideOutput(LATE_EVENTS)
                .map(new LateEventToDeadLetter())
                .name("late-to-dead-letter")
                .uid("late-to-dead-letter");

        windowed.sinkTo(metrics).name("metrics-sink").uid("metrics-sink");
        valid.getSideOutput(SplitInvalidRecords.DEAD_LETTERS)
                .union(late)
                .sinkTo(deadLetters)
                .name("dead-letter-sink")
                .uid("dead-letter-sink");
        return windowed;
    }

    static WindowAssigner<Object, TimeWindow> windowAssigner(JobOptions options) {
        return options.tumbling()
                ? TumblingEventTimeWindows.of(options.window())
                : SlidingEventTimeWindows.of(options.window(), options.slide());
    }

    /**
     * A late event is valid but can no longer be counted in its window: keep it, with the reason,
     * in the dead-letter topic rather than dropping it, and count it ({@code lateEvents}).
     */
    static final class LateEventToDeadLetter extends RichMapFunction<MetricSample, DeadLetter> {
        private transient Counter lateEvents;

        @Override
        public void open(OpenContext openContext) {
            lateEvents = getRuntimeContext().getMetricGroup().counter("lateEvents");
        }

        @Override
        public DeadLetter map(MetricSample sample) {
            lateEvents.inc();
            Instant eventTime = Instant.ofEpochMilli(sample.timestamp);
            ValidationProblem problem = new ValidationProblem("timestamp", '"' + eventTime.toString() + '"',
                    "late event: its window had already closed");
            return DeadLetter.of(problem, Json.toBytes(sample), "late:" + sample.release, -1, eventTime, Instant.now());
        }
    }

    /** Release and cohort as one string key: enum hash codes differ between JVMs, strings do not. */
    static final class CohortKey implements KeySelector<MetricSample, String> {
        @Override
        public String getKey(MetricSample sample) {
            return sample.release + '\u0000' + sample.cohort;
        }
    }

    static final class CohortAggregate implements AggregateFunction<MetricSample, CohortAccumulator, CohortAccumulator> {
        @Override public CohortAccumulator createAccumulator() { return new CohortAccumulator(); }

        @Override
        public CohortAccumulator add(MetricSample sample, CohortAccumulator acc) {
            acc.add(sample);
            return acc;
        }

        @Override public CohortAccumulator getResult(CohortAccumulator acc) { return acc; }
        @Override public CohortAccumulator merge(CohortAccumulator a, CohortAccumulator b) { return a.merge(b); }
    }

    static final class EmitCohortMetrics extends ProcessWindowFunction<CohortAccumulator, CohortMetrics, String, TimeWindow> {
        @Override
        public void process(String key, Context ctx, Iterable<CohortAccumulator> totals, Collector<CohortMetrics> out) {
            TimeWindow window = ctx.window();
            for (CohortAccumulator acc : totals) {
                out.collect(acc.toMetrics(Instant.ofEpochMilli(window.getStart()), Instant.ofEpochMilli(window.getEnd())));
            }
        }
    }
}
