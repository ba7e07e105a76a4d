package io.graylight.rollout;

import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.command.RolloutCommand;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.options.JobOptions;
import io.graylight.sink.JsonKafkaSink;
import io.graylight.telemetry.DeduplicateEvents;
import io.graylight.telemetry.SplitInvalidRecords;
import io.graylight.telemetry.TelemetryRecord;
import io.graylight.telemetry.TelemetrySources;
import io.graylight.types.JsonRecordDeserializer;
import io.graylight.types.JsonTypeInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The canary judge: per release, compares canary with baseline continuously in event time with
 * anytime-valid statistics and writes START / PROMOTE / HOLD / ROLLBACK / COMPLETE (and the
 * operator's PAUSE / RESUME) decisions, exactly once, to the compacted decisions topic.
 *
 * <pre>
 * telemetry ─► parse (in the source) ─► valid ─► keyBy eventId ─► de-duplicate ─┐
 *                                                                              keyBy release ─► judge ─► decisions
 * commands ─► parse (in the source) ─┬─► union ───────────────────────────────┘
 * alerts ───► parse (in the source) ─┘
 * </pre>
 *
 * <p>Alerts come from the CEP alert job and the anomaly job on {@code graylight.alerts}: a
 * critical rollback alert about the canary rolls it back citing the rule, hold alerts block
 * promotions until their {@code holdUntil}, notify and dry-run alerts are only counted.
 *
 * <p>Options ({@link JobOptions}): {@code bootstrap-servers}, {@code topic-prefix},
 * {@code consumer-group} (prefix), {@code max-out-of-orderness}, {@code idleness},
 * {@code dedup-ttl}, {@code max-future-skew}, {@code delivery-guarantee},
 * {@code transaction-timeout}, {@code transactional-id-prefix}, and {@code plan}: plan files that
 * start by themselves at each matching release's first event (a plan for release {@code *}
 * applies to every release). Other rollouts start with {@code graylight rollout start}.
 * Invalid telemetry is skipped here (the metrics job reports it to the dead-letter topic).
 */
public final class RolloutDecisionJob {

    public static final String NAME = "graylight-rollout-decisions";

    private final Source<TelemetryRecord, ?, ?> telemetry;
    private final Source<RolloutCommand, ?, ?> commands;
    private final Source<Alert, ?, ?> alerts;
    private final List<Alert> knownAlerts;
    private final Sink<DecisionRecord> decisions;
    private final JobOptions options;
    private final List<RolloutJudge.PlanSource> autoStart;
    private final boolean stampWithEventTime;

    /**
     * Replay's shape: telemetry as the only input, so that decisions are repeatable.
     *
     * @param knownAlerts alerts of the replayed telemetry, applied in event time
     * @param autoStart plans that start by themselves
     * @param stampWithEventTime decisions carry their event time as {@code emittedAt}
     */
    public static RolloutDecisionJob forReplay(
            Source<TelemetryRecord, ?, ?> telemetry,
            List<Alert> knownAlerts,
            Sink<DecisionRecord> decisions,
            JobOptions options,
            List<RolloutJudge.PlanSource> autoStart,
            boolean stampWithEventTime) {
        return new RolloutDecisionJob(telemetry, null, null, knownAlerts, decisions, options, autoStart,
                stampWithEventTime);
    }

    /**
     * @param commands operator commands; null for none
     * @param alerts alerts from CEP rules and anomaly models; null for none
     * @param autoStart plans that start by themselves
     * @param stampWithEventTime decisions carry their event time as {@code emittedAt} (replay)
     */
    public RolloutDecisionJob(
            Source<TelemetryRecord, ?, ?> telemetry,
            Source<RolloutCommand, ?, ?> commands,
            Source<Alert, ?, ?> alerts,
            Sink<DecisionRecord> decisions,
            JobOptions options,
            List<RolloutJudge.PlanSource> autoStart,
            boolean stampWithEventTime) {
        this(telemetry, commands, alerts, List.of(), decisions, options, autoStart, stampWithEventTime);
    }

    private RolloutDecisionJob(
            Source<TelemetryRecord, ?, ?> telemetry,
            Source<RolloutCommand, ?, ?> commands,
            Source<Alert, ?, ?> alerts,
            List<Alert> knownAlerts,
            Sink<DecisionRecord> decisions,
            JobOptions options,
            List<RolloutJudge.PlanSource> autoStart,
            boolean stampWithEventTime) {
        this.telemetry = telemetry;
        this.commands = commands;
        this.alerts = alerts;
        this.knownAlerts = List.copyOf(knownAlerts);
        this.decisions = decisions;
        this.options = options;
        this.autoStart = List.copyOf(autoStart);
        this.stampWithEventTime = stampWithEventTime;
    }

    public static void main(String[] args) throws Exception {
        JobOptions options = JobOptions.fromArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        forKafka(options, null).build(env);
        env.execute(NAME);
    }

    /** Telemetry and commands from Kafka, decisions to the compacted decisions topic. */
    public static RolloutDecisionJob forKafka(JobOptions options, OffsetsInitializer stopAt) throws IOException {
        KafkaSource<RolloutCommand> commands = KafkaSource.<RolloutCommand>builder()
                .setBootstrapServers(options.bootstrapServers())
                .setTopics(options.topics().commands())
                .setGroupId(options.consumerGroup("decisions-commands"))
                // A new deployment must not re-run old START commands: only what comes from now on.
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.LATEST))
                .setDeserializer(new KafkaCommandDeserializer())
                .build();
        KafkaSource<Alert> alerts = KafkaSource.<Alert>builder()
                .setBootstrapServers(options.bootstrapServers())
                .setTopics(options.topics().alerts())
                .setGroupId(options.consumerGroup("decisions-alerts"))
                // The alert and anomaly jobs write alerts in transactions: act only on committed ones.
                .setProperty("isolation.level", "read_committed")
                // Like commands: an alert acts when it is raised, not again on a new deployment.
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.LATEST))
                .setDeserializer(new JsonRecordDeserializer<>(Alert.class, RolloutDecisionJob::unusableAlert))
                .build();
        return new RolloutDecisionJob(
                TelemetrySources.kafka(options, "decisions", stopAt),
                commands,
                alerts,
                JsonKafkaSink.create(options.bootstrapServers(), options.topics().decisions(), DecisionRecord::release,
                        options.deliveryGuarantee(), options.transactionalId("decisions"), options.transactionTimeout()),
                options,
                planSources(options.plans()),
                false);
    }

    public static List<RolloutJudge.PlanSource> planSources(List<String> files) throws IOException {
        List<RolloutJudge.PlanSource> sources = new ArrayList<>();
        for (String file : files) {
            sources.add(new RolloutJudge.PlanSource(Files.readString(Path.of(file), StandardCharsets.UTF_8), file));
        }
        return sources;
    }

    public DataStream<DecisionRecord> build(StreamExecutionEnvironment env) {
        env.getConfig().enableObjectReuse();
        DataStream<TelemetryEvent> events = env
                .fromSource(telemetry, TelemetrySources.watermarks(options, Duration.ofSeconds(1)), "telemetry")
                .uid("telemetry-source")
                .process(new SplitInvalidRecords())
                .name("split-invalid")
                .uid("split-invalid")
                .keyBy(TelemetryEvent::eventId)
                .process(new DeduplicateEvents<>(options.dedupTtl()), TypeInformation.of(TelemetryEvent.class))
                .name("deduplicate")
                .uid("deduplicate");

        DataStream<DecisionRecord> decided;
        DataStream<JudgeControl> control = controlStream(env);
        if (control != null) {
            decided = events
                    .keyBy(TelemetryEvent::release)
                    .connect(control.keyBy(JudgeControl::release))
                    .process(new RolloutJudge(autoStart, stampWithEventTime), JsonTypeInfo.of(DecisionRecord.class))
                    .name("judge")
                    .uid("judge");
        } else {
            decided = events
                    .keyBy(TelemetryEvent::release)
                    .process(new RolloutJudge.WithoutCommands(autoStart, stampWithEventTime, knownAlerts),
                            JsonTypeInfo.of(DecisionRecord.class))
                    .name("judge")
                    .uid("judge");
        }
        decided.sinkTo(decisions).name("decisions-sink").uid("decisions-sink");
        return decided;
    }

    /** Why the judge cannot act on an alert (it lacks what the judge reads), or null when it can. */
    static String unusableAlert(Alert alert) {
        if (alert.alertId() == null || alert.rule() == null || alert.release() == null) {
            return "alertId, rule and release are required";
        }
        if (alert.severity() == null || alert.effect() == null || alert.scope() == null) {
            return "severity, effect and scope are required";
        }
        return alert.eventTime() == null ? "eventTime is required" : null;
    }

    /** Commands and alerts, one stream for the judge's second input; null when there is neither. */
    private DataStream<JudgeControl> controlStream(StreamExecutionEnvironment env) {
        DataStream<JudgeControl> control = null;
        if (commands != null) {
            control = env.fromSource(commands, controlWatermarks(), "commands")
                    .setParallelism(1)
                    .uid("commands-source")
                    .map(JudgeControl::of, JsonTypeInfo.of(JudgeControl.class))
                    .setParallelism(1)
                    .name("commands-as-control")
                    .uid("commands-as-control");
        }
        if (alerts != null) {
            DataStream<JudgeControl> alertControl = env.fromSource(alerts, controlWatermarks(), "alerts")
                    .setParallelism(1)
                    .uid("alerts-source")
                    .map(JudgeControl::of, JsonTypeInfo.of(JudgeControl.class))
                    .setParallelism(1)
                    .name("alerts-as-control")
                    .uid("alerts-as-control");
            control = control == null ? alertControl : control.union(alertControl);
        }
        return control;
    }

    /**
     * Commands and alerts act when they arrive, not in event time, so they hold no watermark back:
     * idleness keeps a quiet topic from stalling the judge.
     */
    private static <T> WatermarkStrategy<T> controlWatermarks() {
        return WatermarkStrategy.<T>forMonotonousTimestamps()
                .withTimestampAssigner((element, previous) -> Long.MIN_VALUE)
                .withIdleness(Duration.ofSeconds(1));
    }
}
