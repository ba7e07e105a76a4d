package io.graylight.cep.job;

import io.graylight.cep.compile.RuleCompiler;
import io.graylight.cep.rules.InputKind;
import io.graylight.cep.rules.Rule;
import io.graylight.cep.rules.RuleException;
import io.graylight.cep.rules.RulesSnapshot;
import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.metrics.CohortMetrics;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.options.JobOptions;
import io.graylight.sink.JsonKafkaSink;
import io.graylight.telemetry.DeduplicateEvents;
import io.graylight.telemetry.SplitInvalidRecords;
import io.graylight.telemetry.TelemetryRecord;
import io.graylight.telemetry.TelemetrySources;
import io.graylight.types.JsonRecordDeserializer;
import io.graylight.types.JsonTypeInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.utils.ParameterTool;
import org.apache.flink.cep.CEP;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.transformations.PhysicalTransformation;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * CEP alert rules from {@code cep-rules/} over telemetry and metrics windows → {@code graylight.alerts}.
 *
 * <pre>
 * telemetry ─► parse ─► valid ─► keyBy eventId ─► de-duplicate ─┐
 * metrics ─► keyBy release ─► pair canary/baseline windows ─────┤ (one per input kind)
 * rules topic (live params) ─► broadcast ─────────────────────► attach params, evaluate steps
 *        ─► keyBy rule key (one per input kind) ─► route to rules ─► per rule, chained: CEP (uid cep-RULE-SHAPEHASH) ─► alert
 *        ─► union ─► keyBy rule/release/scope ─► suppress repeats (cooldown) ─► alerts
 * </pre>
 *
 * <p>Options ({@code --name value}): {@code rules} (directory of rule files, {@code cep-rules}),
 * {@code rules-topic} (live parameter updates, {@code <prefix>rules}, compacted, key = rule id),
 * and of {@link JobOptions}: {@code bootstrap-servers}, {@code topic-prefix},
 * {@code consumer-group}, {@code max-out-of-orderness}, {@code idleness}, {@code dedup-ttl},
 * {@code max-future-skew}, {@code delivery-guarantee}, {@code transaction-timeout},
 * {@code transactional-id-prefix}. The job keeps its options and the text of its rule files as
 * global job parameters ({@link RulesSnapshot#PARAMETER}; shown in the web UI's configuration tab):
 * {@code graylight rules apply} rebuilds the running job from them. Invalid telemetry is dropped here (the metrics job already
 * sends it to the dead-letter topic); late rule events are counted ({@code lateRuleEvents}, by the router) and dropped.
 */
public final class AlertJob {

    public static final String NAME = "graylight-cep-alerts";

    public static final ConfigOption<String> RULES = ConfigOptions.key("rules").stringType().defaultValue("cep-rules")
            .withDescription("Directory of CEP rule files (*.yaml).");
    public static final ConfigOption<String> RULES_TOPIC = ConfigOptions.key("rules-topic").stringType().noDefaultValue()
            .withDescription("Compacted topic of live rule parameter updates; default <topic-prefix>rules.");

    private final List<Rule> rules;
    private final Source<TelemetryRecord, ?, ?> telemetry;
    private final Source<CohortMetrics, ?, ?> metrics;
    private final Source<ParamsUpdate, ?, ?> params;
    private final Sink<Alert> alerts;
    private final JobOptions options;
    private final boolean emittedAtEventTime;

    /**
     * @param telemetry null when no rule reads telemetry
     * @param metrics null when no rule reads metrics windows
     * @param params live parameter updates; null for none
     * @param emittedAtEventTime stamp alerts' {@code emittedAt} with their event time (deterministic runs)
     */
    public AlertJob(List<Rule> rules, Source<TelemetryRecord, ?, ?> telemetry, Source<CohortMetrics, ?, ?> metrics,
            Source<ParamsUpdate, ?, ?> params, Sink<Alert> alerts, JobOptions options, boolean emittedAtEventTime) {
        this.rules = List.copyOf(rules);
        this.telemetry = telemetry;
        this.metrics = metrics;
        this.params = params;
        this.alerts = alerts;
        this.options = options;
        this.emittedAtEventTime = emittedAtEventTime;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> parameters = ParameterTool.fromArgs(args).toMap();
        RulesSnapshot snapshot;
        try {
            snapshot = RulesSnapshot.read(Path.of(Configuration.fromMap(parameters).get(RULES)));
        } catch (RuleException e) {
            throw new IllegalArgumentException("refused rules:\n" + e.getMessage());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        try {
            prepare(env, parameters, snapshot);
        } catch (RuleException e) {
            throw new IllegalArgumentException("refused rules:\n" + e.getMessage());
        }
        env.execute(NAME);
    }

    /**
     * The Kafka job on {@code env} with the rules of {@code snapshot} and the options {@code parameters}
     * (as {@code --name value} pairs, without {@code --}). Both become the job's global parameters, so
     * the running job tells what it was built from ({@code graylight rules apply} reads them back).
     */
    public static void prepare(StreamExecutionEnvironment env, Map<String, String> parameters, RulesSnapshot snapshot)
            throws RuleException {
        List<Rule> rules = snapshot.rules();
        Map<String, String> options = new HashMap<>(parameters);
        options.remove(RulesSnapshot.PARAMETER);
        Configuration config = Configuration.fromMap(options);
        JobOptions jobOptions = JobOptions.fromConfiguration(config);
        options.put(RulesSnapshot.PARAMETER, snapshot.toJson());
        env.getConfig().setGlobalJobParameters(ParameterTool.fromMap(options));
        forKafka(rules, jobOptions, config.getOptional(RULES_TOPIC).orElse(jobOptions.topics().prefix() + "rules")).build(env);
    }

    /** The job wired to Kafka: telemetry, metrics and the rules topic in, alerts out (exactly once). */
    public static AlertJob forKafka(List<Rule> rules, JobOptions options, String rulesTopic) {
        boolean anyTelemetry = rules.stream().anyMatch(r -> r.input() == InputKind.TELEMETRY);
        boolean anyMetrics = rules.stream().anyMatch(r -> r.input() == InputKind.METRICS);
        return new AlertJob(rules,
                anyTelemetry ? TelemetrySources.kafka(options, "alerts", null) : null,
                anyMetrics ? metricsSource(options) : null,
                paramsSource(options, rulesTopic),
                JsonKafkaSink.create(options.bootstrapServers(), options.topics().alerts(), Alert::release,
                        options.deliveryGuarantee(), options.transactionalId("alerts"), options.transactionTimeout()),
                options, false);
    }

    /** {@code graylight.metrics}, read committed (the metrics job writes it in transactions). */
    public static KafkaSource<CohortMetrics> metricsSource(JobOptions options) {
        Properties readCommitted = new Properties();
        readCommitted.setProperty("isolation.level", "read_committed");
        return KafkaSource.<CohortMetrics>builder()
                .setBootstrapServers(options.bootstrapServers())
                .setTopics(options.topics().metrics())
                .setGroupId(options.consumerGroup("alerts-metrics"))
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setProperties(readCommitted)
                .setDeserializer(new JsonRecordDeserializer<>(CohortMetrics.class))
                .build();
    }

    /**
     * The compacted rules topic (key = rule id, value = {@link ParamsUpdate} JSON). A new job reads
     * it from the start, so every rule gets its latest update; a restored job resumes from its
     * checkpointed offsets, its broadcast state already holding what came before.
     */
    public static KafkaSource<ParamsUpdate> paramsSource(JobOptions options, String rulesTopic) {
        return KafkaSource.<ParamsUpdate>builder()
                .setBootstrapServers(options.bootstrapServers())
                .setTopics(rulesTopic)
                .setGroupId(options.consumerGroup("alerts-rules"))
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new JsonRecordDeserializer<>(ParamsUpdate.class))
                .build();
    }

    /** Adds the topology to {@code env}; returns the alerts (after cooldown) as written to the sink. */
    public DataStream<Alert> build(StreamExecutionEnvironment env) {
        DataStream<TelemetryEvent> events = null;
        if (telemetry != null) {
            events = env.fromSource(telemetry, TelemetrySources.watermarks(options, Duration.ofSeconds(1)), "telemetry")
                    .uid("cep-telemetry-source")
                    .process(new SplitInvalidRecords(), JsonTypeInfo.of(TelemetryEvent.class))
                    .name("cep-split-invalid")
                    .uid("cep-split-invalid");
        }
        DataStream<CohortMetrics> windows = null;
        if (metrics != null) {
            windows = env.fromSource(metrics, WatermarkStrategy.<CohortMetrics>forBoundedOutOfOrderness(options.maxOutOfOrderness())
                            .withTimestampAssigner((m, previous) -> m.windowEnd().toEpochMilli() - 1)
                            .withIdleness(options.idleness()), "metrics")
                    .uid("cep-metrics-source");
        }
        DataStream<ParamsUpdate> updates = params == null ? null
                // One reader (the topic is small). Its watermark is set after the source by a periodic
                // generator: a Kafka split without records emits no watermark of its own.
                : env.fromSource(params, WatermarkStrategy.noWatermarks(), "rule-params").setParallelism(1)
                        .uid("cep-rule-params-source")
                        .assignTimestampsAndWatermarks(AlertJob.<ParamsUpdate>maxWatermark()).setParallelism(1)
                        .name("rule-params-watermarks").uid("cep-rule-params-watermarks");
        return build(env, events, windows, updates, true);
    }

    /**
     * The topology on given streams (tests and the demo compose it with the metrics job's output).
     *
     * @param events valid telemetry with timestamps and watermarks; null if none
     * @param windows per-cohort metrics windows with timestamps and watermarks; null if none
     * @param updates live parameter updates; null for none
     * @param deduplicate de-duplicate telemetry by eventId first
     */
    public DataStream<Alert> build(StreamExecutionEnvironment env, DataStream<TelemetryEvent> events,
            DataStream<CohortMetrics> windows, DataStream<ParamsUpdate> updates, boolean deduplicate) {
        if (updates == null) {
            // No updates: one number that becomes nothing (an empty fromData cannot be typed by JSON).
            updates = env.fromSequence(0, 0).setParallelism(1)
                    .flatMap((Long n, org.apache.flink.util.Collector<ParamsUpdate> out) -> { }).setParallelism(1)
                    .returns(JsonTypeInfo.of(ParamsUpdate.class))
                    .assignTimestampsAndWatermarks(AlertJob.<ParamsUpdate>maxWatermark()).setParallelism(1)
                    .name("no-rule-params")
                    .uid("cep-no-rule-params");
        }
        BroadcastStream<ParamsUpdate> broadcast = updates.broadcast(AttachParams.PARAMS, AttachParams.PARAMS_BASE);
        List<DataStream<Alert>> matches = new ArrayList<>();

        List<Rule> telemetryRules = rules.stream().filter(r -> r.input() == InputKind.TELEMETRY).toList();
        if (!telemetryRules.isEmpty() && events != null) {
            if (deduplicate) {
                events = events.keyBy(TelemetryEvent::eventId)
                        .process(new DeduplicateEvents<>(options.dedupTtl()), JsonTypeInfo.of(TelemetryEvent.class))
                        .name("cep-deduplicate")
                        .uid("cep-deduplicate");
            }
            SingleOutputStreamOperator<RoutedRuleEvent> attached = events.connect(broadcast)
                    .process(new AttachTelemetryParams(telemetryRules), TypeInformation.of(RoutedRuleEvent.class))
                    .name("attach-params-telemetry")
                    .uid("cep-attach-params-telemetry");
            cep(telemetryRules, attached, "telemetry", matches);
        }
        List<Rule> metricRules = rules.stream().filter(r -> r.input() == InputKind.METRICS).toList();
        if (!metricRules.isEmpty() && windows != null) {
            DataStream<WindowPair> pairs = windows.keyBy(CohortMetrics::release)
                    .process(new PairWindows(), JsonTypeInfo.of(WindowPair.class))
                    .name("pair-cohort-windows")
                    .uid("cep-pair-cohort-windows");
            SingleOutputStreamOperator<RoutedRuleEvent> attached = pairs.connect(broadcast)
                    .process(new AttachMetricsParams(metricRules), TypeInformation.of(RoutedRuleEvent.class))
                    .name("attach-params-metrics")
                    .uid("cep-attach-params-metrics");
            cep(metricRules, attached, "metrics", matches);
        }
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("no rule has an input in this job (rules: " + rules.size() + ")");
        }
        DataStream<Alert> all = matches.get(0);
        for (int i = 1; i < matches.size(); i++) {
            all = all.union(matches.get(i));
        }
        Map<String, Duration> cooldowns = new HashMap<>();
        rules.forEach(r -> cooldowns.put(r.id(), r.cooldown()));
        SingleOutputStreamOperator<Alert> alerted = all.keyBy(SuppressRepeats::key)
                .process(new SuppressRepeats(cooldowns), JsonTypeInfo.of(Alert.class))
                .name("suppress-repeats")
                .uid("cep-suppress-repeats");
        alerted.sinkTo(alerts).name("alerts-sink").uid("cep-alerts-sink");
        return alerted;
    }

    /**
     * One keyBy for all rules of an input kind, then the rules' CEP operators chained behind a router in
     * the same task. A keyBy per rule cost each rule an exchange (buffers taken at deployment) and a task
     * (a thread) per subtask: 100 rules no longer deployed in 64 MiB of network memory, 500 ran 1,000 CEP
     * tasks. The CEP operators keep their uids, key (the rule's key) and key type, so savepoints still fit.
     */
    private void cep(List<Rule> rules, SingleOutputStreamOperator<RoutedRuleEvent> attached, String kind,
            List<DataStream<Alert>> matches) {
        List<OutputTag<RuleEvent>> tags = tags(rules);
        SingleOutputStreamOperator<Void> routed = attached.keyBy(RoutedRuleEvent::key, Types.STRING)
                .process(new RouteToRules(rules.stream().map(Rule::id).toList(), tags), Types.VOID)
                .name("route-rules-" + kind)
                .uid("cep-route-rules-" + kind);
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            KeyedStream<RuleEvent, String> keyed = DataStreamUtils.reinterpretAsKeyedStream(routed.getSideOutput(tags.get(i)),
                    (KeySelector<RuleEvent, String>) e -> e.key, Types.STRING);
            SingleOutputStreamOperator<Alert> alertsOfRule = CEP.pattern(keyed, RuleCompiler.compile(rule))
                    .process(new MatchToAlert(rule, emittedAtEventTime))
                    .returns(JsonTypeInfo.of(Alert.class))
                    .name("cep " + rule.id())
                    .uid(rule.uid());
            // a CEP operator starts a new chain by default: chained here it shares the router's task
            ((PhysicalTransformation<?>) alertsOfRule.getTransformation()).setChainingStrategy(ChainingStrategy.ALWAYS);
            // Alerts are rare: sent at once, and no flusher thread per rule and subtask (one per exchange
            // with a buffer timeout; 500 rules had 1,000 of them waking every 100 ms).
            alertsOfRule.setBufferTimeout(0);
            matches.add(alertsOfRule);
        }
    }

    private static List<OutputTag<RuleEvent>> tags(List<Rule> rules) {
        return rules.stream()
                .map(r -> new OutputTag<>("rule-" + r.id(), TypeInformation.of(RuleEvent.class)))
                .toList();
    }

    /**
     * Watermarks of a control stream joined by broadcast: always at the end of time, so the rules
     * stream never holds back the events' watermark (it may stay silent for days).
     */
    static <T> WatermarkStrategy<T> maxWatermark() {
        return WatermarkStrategy.forGenerator(ctx -> new WatermarkGenerator<T>() {
            @Override
            public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.emitWatermark(new Watermark(Long.MAX_VALUE));
            }
        });
    }
}
