package io.graylight.elasticsearch;

import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.json.Json;
import io.graylight.contracts.metrics.CohortMetrics;
import io.graylight.contracts.telemetry.DeadLetter;
import io.graylight.options.JobOptions;
import io.graylight.sink.Topics;
import io.graylight.types.JsonRecordDeserializer;
import io.graylight.types.JsonTypeInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.elasticsearch.sink.Elasticsearch7SinkBuilder;
import org.apache.flink.connector.elasticsearch.sink.ElasticsearchSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.http.HttpHost;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the Kafka topics people look at into Elasticsearch, for dashboards, the report and audit.
 *
 * <pre>
 * metrics, alerts, decisions ─► parse contract record ─► document (daily index, deterministic id) ─┐
 * telemetry.dlq ─► summary key (minute, release, reason) ─► keyBy ─► count ─► document ───────────┴─► Elasticsearch
 * </pre>
 *
 * <p>A job of its own, so Kafka stays the source of truth and deciding never waits for
 * Elasticsearch: when Elasticsearch is down, the metrics and decision jobs go on; this job's bulk
 * requests fail, it restarts under the cluster's restart strategy (exponential delay by default)
 * from its last checkpoint, and once Elasticsearch answers again it indexes the backlog from the
 * Kafka offsets that checkpoint holds. A busy node's rejections are retried inside the sink with
 * the bulk backoff. Writes are at-least-once (the sink flushes on every checkpoint); every document
 * has a deterministic id ({@link EsIndices}), so a repeat overwrites instead of duplicating. A record
 * that is not a readable contract record is skipped, logged and counted ({@code unreadableRecords}).
 *
 * <p>Options ({@link JobOptions} and {@link EsOptions}, as {@code --name value}):
 * {@code bootstrap-servers}, {@code topic-prefix} (graylight.), {@code consumer-group} (prefix),
 * {@code elasticsearch} (http://localhost:9200; several separated by ';'),
 * {@code bulk-flush-max-actions} (1000), {@code bulk-flush-max-size} (5 mb),
 * {@code bulk-flush-interval} (1 s), {@code bulk-flush-backoff-type} (EXPONENTIAL),
 * {@code bulk-flush-backoff-delay} (200 ms), {@code bulk-flush-backoff-retries} (8),
 * {@code dlq-state-ttl} (1 h). Checkpointing (which commits the Kafka offsets) and the restart
 * strategy come from the cluster's {@code config.yaml}.
 */
public final class IndexingJob {

    public static final String NAME = "graylight-elasticsearch-indexing";

    private final Source<EsDocument, ?, ?> contractRecords;
    private final Source<DeadLetter, ?, ?> deadLetters;
    private final Sink<EsDocument> elasticsearch;
    private final EsOptions options;

    public IndexingJob(Source<EsDocument, ?, ?> contractRecords, Source<DeadLetter, ?, ?> deadLetters,
                       Sink<EsDocument> elasticsearch, EsOptions options) {
        this.contractRecords = contractRecords;
        this.deadLetters = deadLetters;
        this.elasticsearch = elasticsearch;
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        JobOptions jobOptions = JobOptions.fromArgs(args);
        EsOptions esOptions = EsOptions.fromArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        forKafka(jobOptions, esOptions, null, null).build(env);
        env.execute(NAME);
    }

    /**
     * The job wired to Kafka and Elasticsearch.
     *
     * @param startAt where a consumer group without committed offsets starts; null: the earliest
     * @param stopAt where the sources stop (bounded runs); null to follow the topics forever
     */
    public static IndexingJob forKafka(JobOptions jobOptions, EsOptions esOptions, OffsetsInitializer startAt,
                                       OffsetsInitializer stopAt) {
        Topics topics = jobOptions.topics();
        String group = jobOptions.consumerGroup("elasticsearch");
        OffsetsInitializer start = startAt != null ? startAt : OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        KafkaSourceBuilder<EsDocument> records = KafkaSource.<EsDocument>builder()
                .setBootstrapServers(jobOptions.bootstrapServers())
                .setTopics(topics.metrics(), topics.alerts(), topics.decisions())
                .setGroupId(group)
                .setStartingOffsets(start)
                .setProperties(readCommitted())
                .setDeserializer(new ContractRecordDeserializer(topics));
        KafkaSourceBuilder<DeadLetter> dlq = KafkaSource.<DeadLetter>builder()
                .setBootstrapServers(jobOptions.bootstrapServers())
                .setTopics(topics.deadLetters())
                .setGroupId(group + "-dlq")
                .setStartingOffsets(start)
                .setProperties(readCommitted())
                .setDeserializer(new JsonRecordDeserializer<>(DeadLetter.class));
        if (stopAt != null) {
            records.setBounded(stopAt);
            dlq.setBounded(stopAt);
        }
        return new IndexingJob(records.build(), dlq.build(), sink(esOptions), esOptions);
    }

    /** At-least-once bulk sink; safe because every document carries a deterministic id. */
    public static ElasticsearchSink<EsDocument> sink(EsOptions options) {
        HttpHost[] hosts = options.hosts().stream()
                .map(u -> new HttpHost(u.getHost(), u.getPort() > 0 ? u.getPort() : 9200, u.getScheme()))
                .toArray(HttpHost[]::new);
        return new Elasticsearch7SinkBuilder<EsDocument>()
                .setHosts(hosts)
                .setEmitter(new DocumentEmitter(options.hosts()))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setBulkFlushMaxActions(options.bulkFlushMaxActions())
                .setBulkFlushMaxSizeMb((int) Math.max(1, (options.bulkFlushMaxSize().getBytes() + (1 << 20) - 1) >> 20))
                .setBulkFlushInterval(options.bulkFlushInterval().toMillis())
                .setBulkFlushBackoffStrategy(options.backoffType(), options.backoffRetries(), options.backoffDelay().toMillis())
                .build();
    }

    private static Properties readCommitted() {
        Properties p = new Properties();
        // the topics are written in Kafka transactions: index only what was committed
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.setProperty("commit.offsets.on.checkpoint", "true");
        return p;
    }

    /** Adds the topology to {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        // no event-time operator here: documents carry their own event time into their index name
        DataStream<EsDocument> records = env
                .fromSource(contractRecords, WatermarkStrategy.noWatermarks(), "metrics-alerts-decisions")
                .uid("contract-records-source");

        DataStream<EsDocument> dlqSummaries = env
                .fromSource(deadLetters, WatermarkStrategy.noWatermarks(), "dead-letters")
                .uid("dead-letters-source")
                .map(DlqSummary::of, JsonTypeInfo.of(DlqSummary.class))
                .name("dead-letter-to-summary-key")
                .uid("dead-letter-to-summary-key")
                .keyBy(DlqSummary::id)
                .process(new CountDeadLetters(options.dlqStateTtl()), TypeInformation.of(EsDocument.class))
                .name("count-dead-letters")
                .uid("count-dead-letters");

        records.union(dlqSummaries)
                .sinkTo(elasticsearch)
                .name("elasticsearch-sink")
                .uid("elasticsearch-sink");
    }

    /**
     * Counts the dead letters of one (minute, release, reason) and writes the running total under
     * that key's document id after each one: the count is in keyed state, checkpointed with the
     * Kafka offsets, so a replay after a failure writes the same totals again and the document ends
     * at the true count. Dead letters are rare by nature, so a write per dead letter is cheap. The
     * count is cleared {@code ttl} of processing time after the minute's last dead letter. A
     * re-index from scratch (a new consumer group) counts again from zero, so while it runs a
     * summary can show less than before; it ends at the true count once the re-index has passed
     * that minute.
     */
    public static final class CountDeadLetters extends KeyedProcessFunction<String, DlqSummary, EsDocument> {
        static final ValueStateDescriptor<Long> COUNT = new ValueStateDescriptor<>("dlq-count", Types.LONG);
        static final ValueStateDescriptor<Long> EXPIRY = new ValueStateDescriptor<>("dlq-expiry", Types.LONG);

        private final long ttlMillis;
        private transient ValueState<Long> count;
        private transient ValueState<Long> expiry;

        public CountDeadLetters(Duration ttl) {
            this.ttlMillis = ttl.toMillis();
        }

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext openContext) {
            count = getRuntimeContext().getState(COUNT);
            expiry = getRuntimeContext().getState(EXPIRY);
        }

        @Override
        public void processElement(DlqSummary one, Context ctx, Collector<EsDocument> out) throws IOException {
            Long before = count.value();
            long now = (before == null ? 0 : before) + one.count();
            count.update(now);
            out.collect(EsDocument.of(one.withCount(now)));
            Long previous = expiry.value();
            if (previous != null) {
                ctx.timerService().deleteProcessingTimeTimer(previous);
            }
            long at = ctx.timerService().currentProcessingTime() + ttlMillis;
            ctx.timerService().registerProcessingTimeTimer(at);
            expiry.update(at);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<EsDocument> out) {
            count.clear();
            expiry.clear();
        }
    }

    /** metrics, alerts and decisions topics to documents; an unreadable record is logged, counted and skipped. */
    static final class ContractRecordDeserializer implements KafkaRecordDeserializationSchema<EsDocument> {
        private static final Logger LOG = LoggerFactory.getLogger(ContractRecordDeserializer.class);
        private final Topics topics;
        private transient Counter unreadable;

        ContractRecordDeserializer(Topics topics) {
            this.topics = topics;
        }

        @Override
        public void open(org.apache.flink.api.common.serialization.DeserializationSchema.InitializationContext context) {
            unreadable = context.getMetricGroup().counter("unreadableRecords");
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<EsDocument> out) {
            if (record.value() == null) {
                return; // a tombstone of the compacted decisions topic: nothing to index
            }
            EsDocument document;
            try {
                document = toDocument(record.topic(), record.value());
            } catch (RuntimeException e) {
                if (unreadable != null) {
                    unreadable.inc();
                }
                LOG.warn("Skipping unreadable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                        e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
                return;
            }
            // outside the try: a failure downstream (e.g. the task being cancelled) is not a bad record
            out.collect(document);
        }

        private EsDocument toDocument(String topic, byte[] value) {
            if (topic.equals(topics.metrics())) {
                return EsDocument.of(Json.fromBytes(value, CohortMetrics.class));
            } else if (topic.equals(topics.alerts())) {
                return EsDocument.of(Json.fromBytes(value, Alert.class));
            } else if (topic.equals(topics.decisions())) {
                return EsDocument.of(Json.fromBytes(value, DecisionRecord.class));
            }
            throw new IllegalArgumentException("unexpected topic " + topic);
        }

        @Override
        public TypeInformation<EsDocument> getProducedType() {
            return TypeInformation.of(EsDocument.class);
        }
    }
}
