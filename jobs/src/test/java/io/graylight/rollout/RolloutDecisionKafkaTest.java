package io.graylight.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.contracts.command.RolloutCommand;
import io.graylight.contracts.command.RolloutCommands;
import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.json.Json;
import io.graylight.options.JobOptions;
import io.graylight.simulator.Fault;
import io.graylight.simulator.KafkaRecordSink;
import io.graylight.simulator.SimulatedRecord;
import io.graylight.simulator.SimulationConfig;
import io.graylight.simulator.TrafficSimulator;
import io.graylight.sink.JsonKafkaSink;
import io.graylight.sink.Topics;
import io.graylight.telemetry.KafkaTelemetryDeserializer;
import io.graylight.telemetry.TelemetryParser;
import io.graylight.telemetry.TelemetryRecord;
import io.graylight.testing.EmbeddedKafkaExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The decision job against the in-JVM Kafka broker, started by an operator command, with a task
 * failure injected mid-run: after the restart from the last checkpoint, the decisions topic, read
 * committed, has every seq exactly once.
 */
class RolloutDecisionKafkaTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    /** Records read before the injected failure; shared with the task through this JVM. */
    static final AtomicLong READ = new AtomicLong();
    static final AtomicLong FAILURES = new AtomicLong();

    @Test
    void aFailureMidRunLeavesNoRepeatedAndNoMissingSeq() throws Exception {
        Topics topics = new Topics("eo-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        KAFKA.broker().createTopics(2, topics.telemetry(), topics.commands());
        KAFKA.broker().createTopics(1, true, topics.decisions());
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        send(topics.commands(),
                RolloutCommand.start("chat", RolloutTest.PLAN, "test-plan.yaml", "test", "tester", start),
                RolloutCommand.start("search", "release: search\nstages: [150]\n", "bad.yaml", "test", "tester", start));
        int records = 0;
        try (KafkaRecordSink sink = new KafkaRecordSink(KAFKA.broker().bootstrapServers(), topics.telemetry())) {
            for (SimulatedRecord record : new TrafficSimulator(SimulationConfig.builder().seed(21).start(start)
                    .releases(List.of("chat", "search")).canaryPercent(25).rateFactor(10).duration(Duration.ofMinutes(15))
                    .fault(Fault.parse("error_rate=0.15@4m")).build())) {
                sink.write(record);
                records++;
            }
        }

        JobOptions options = JobOptions.defaults().withBootstrapServers(KAFKA.broker().bootstrapServers()).withTopics(topics);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(200);
        env.setRestartStrategy(RestartStrategies.fixedDelayRestart(3, 100));
        READ.set(0);
        FAILURES.set(0);
        KafkaSource<TelemetryRecord> telemetry = KafkaSource.<TelemetryRecord>builder()
                .setBootstrapServers(KAFKA.broker().bootstrapServers())
                .setTopics(topics.telemetry())
                .setGroupId("eo-test")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setDeserializer(new FailOnceAfter(records / 3, new KafkaTelemetryDeserializer(new TelemetryParser(Duration.ZERO))))
                .build();
        KafkaSource<RolloutCommand> commands = KafkaSource.<RolloutCommand>builder()
                .setBootstrapServers(KAFKA.broker().bootstrapServers())
                .setTopics(topics.commands())
                .setGroupId("eo-test-commands")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setDeserializer(new KafkaCommandDeserializer())
                .build();
        new RolloutDecisionJob(telemetry, commands, null,
                JsonKafkaSink.create(KAFKA.broker().bootstrapServers(), topics.decisions(), DecisionRecord::release,
                        org.apache.flink.connector.base.DeliveryGuarantee.EXACTLY_ONCE, "eo-test-decisions", Duration.ofMinutes(5)),
                options, List.of(), false).build(env);
        env.execute("decisions-exactly-once-test");

        assertThat(FAILURES.get()).as("the injected failure happened").isEqualTo(1);
        List<DecisionRecord> decisions = KAFKA.broker().readCommitted(topics.decisions()).stream()
                .map(r -> Json.fromBytes(r.value(), DecisionRecord.class)).toList();
        assertThat(decisions).as("a refused plan applies nothing").allSatisfy(d -> assertThat(d.release()).isEqualTo("chat"));
        assertThat(decisions).extracting(DecisionRecord::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, decisions.size()).boxed().toList());
        assertThat(decisions.get(0).action()).isEqualTo(Action.START);
        assertThat(decisions.get(decisions.size() - 1).action()).isEqualTo(Action.ROLLBACK);
        assertThat(decisions.get(decisions.size() - 1).evidence()).extracting(e -> e.metric()).contains("error_rate");
    }

    /** Delegates, but fails the task once after {@code n} records: the crash a restart must survive. */
    static final class FailOnceAfter implements KafkaRecordDeserializationSchema<TelemetryRecord> {
        private final long n;
        private final KafkaTelemetryDeserializer delegate;

        FailOnceAfter(long n, KafkaTelemetryDeserializer delegate) {
            this.n = n;
            this.delegate = delegate;
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<TelemetryRecord> out) throws java.io.IOException {
            if (READ.incrementAndGet() == n && FAILURES.compareAndSet(0, 1)) {
                throw new java.io.IOException("injected failure after " + n + " records");
            }
            delegate.deserialize(record, out);
        }

        @Override
        public TypeInformation<TelemetryRecord> getProducedType() {
            return delegate.getProducedType();
        }
    }

    private static void send(String topic, RolloutCommand... commands) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(KAFKA.broker().clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (RolloutCommand command : commands) {
                producer.send(new ProducerRecord<>(topic, RolloutCommands.key(command), RolloutCommands.encode(command))).get();
            }
        }
    }
}
