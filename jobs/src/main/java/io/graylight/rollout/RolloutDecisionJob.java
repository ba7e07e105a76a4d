package io.graylight.rollout;

import io.graylight.contracts.command.RolloutCommand;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.options.JobOptions;
import io.graylight.sink.JsonKafkaSink;
import io.graylight.telemetry.DeduplicateEvents;
import io.graylight.telemetry.SplitInvalidRecords;
import io.graylight.telemetry.TelemetryRecord;
import io.graylight.telemetry.TelemetrySources;
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
 * commands ─► parse (in the source) ──────────────────────────────────────────┘
 * </pre>
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
    private final Sink<DecisionRecord> decisions;
    private final JobOptions options;
    private final List<RolloutJudge.PlanSource> autoStart;
    private final boolean stampWithEventTime;

    /**
     * @param commands operator commands; null for none (replay)
     * @param autoStart plans that start by themselves
     * @param stampWithEventTime decisions carry their event time as {@code emittedAt} (replay)
     */
    public RolloutDecisionJob(
            Source<TelemetryRecord, ?, ?> telemetry,
            Source<RolloutCommand, ?, ?> commands,
            Sink<DecisionRecord> decisions,
            JobOptions options,
            List<RolloutJudge.PlanSource> autoStart,
            boolean stampWithEventTime) {
        this.telemetry = telemetry;
        this.commands = commands;
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
        return new RolloutDecisionJob(
                TelemetrySources.kafka(options, "decisions", stopAt),
                commands,
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
        if (commands != null) {
            DataStream<RolloutCommand> operatorCommands = env
                    .fromSource(commands, commandWatermarks(), "commands")
                    .setParallelism(1)
                    .uid("commands-source");
            decided = events
                    .keyBy(TelemetryEvent::release)
                    .connect(operatorCommands.keyBy(RolloutCommand::release))
                    .process(new RolloutJudge(autoStart, stampWithEventTime), JsonTypeInfo.of(DecisionRecord.class))
                    .name("judge")
                    .uid("judge");
        } else {
            decided = events
                    .keyBy(TelemetryEvent::release)
                    .process(new RolloutJudge.WithoutCommands(autoStart, stampWithEventTime), JsonTypeInfo.of(DecisionRecord.class))
                    .name("judge")
                    .uid("judge");
        }
        decided.sinkTo(decisions).name("decisions-sink").uid("decisions-sink");
        return decided;
    }

    /** Commands carry no event time; idleness keeps a quiet command topic from stalling the judge. */
    private static WatermarkStrategy<RolloutCommand> commandWatermarks() {
        return WatermarkStrategy.<RolloutCommand>forMonotonousTimestamps()
                .withTimestampAssigner((command, previous) -> Long.MIN_VALUE)
                .withIdleness(Duration.ofSeconds(1));
    }
}
