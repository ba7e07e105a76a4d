package io.graylight.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.contracts.json.Json;
import io.graylight.contracts.metrics.CohortMetrics;
import io.graylight.contracts.telemetry.DeadLetter;
import io.graylight.options.JobOptions;
import io.graylight.simulator.KafkaRecordSink;
import io.graylight.simulator.SimulatedRecord;
import io.graylight.simulator.SimulationConfig;
import io.graylight.simulator.TrafficSimulator;
import io.graylight.sink.Topics;
import io.graylight.testing.EmbeddedKafkaExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The metrics job against a real in-JVM Kafka KRaft broker, exactly-once sinks read back with
 * read_committed: every record that goes in comes out once, as a counted event or a dead letter.
 */
class TelemetryMetricsKafkaTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void recordsInEqualCountedEventsPlusDeadLetters() throws Exception {
        Topics topics = new Topics("it-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        KAFKA.broker().createTopics(3, topics.telemetry(), topics.metrics(), topics.deadLetters());

        SimulationConfig config = SimulationConfig.builder()
                .seed(11)
                .maxEvents(10_000L)
                .malformedRate(0.05)
                .rateFactor(20)
                .build();
        List<SimulatedRecord> sent = new ArrayList<>();
        try (KafkaRecordSink sink = new KafkaRecordSink(KAFKA.broker().bootstrapServers(), topics.telemetry())) {
            for (SimulatedRecord record : new TrafficSimulator(config)) {
                sink.write(record);
                sent.add(record);
            }
        }
        long malformed = sent.stream().filter(SimulatedRecord::malformed).count();
        assertThat(sent).hasSize(10_000);
        assertThat(malformed).isBetween(400L, 600L);

        JobOptions options = JobOptions.defaults()
                .withBootstrapServers(KAFKA.broker().bootstrapServers())
                .withTopics(topics);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(500);
        TelemetryMetricsJob.forKafka(options, OffsetsInitializer.latest()).build(env);
        env.execute("metrics-kafka-it");

        List<CohortMetrics> metrics = KAFKA.broker().readCommitted(topics.metrics()).stream()
                .map(r -> Json.fromBytes(r.value(), CohortMetrics.class)).toList();
        List<DeadLetter> deadLetters = KAFKA.broker().readCommitted(topics.deadLetters()).stream()
                .map(r -> Json.fromBytes(r.value(), DeadLetter.class)).toList();

        long counted = metrics.stream().mapToLong(CohortMetrics::events).sum();
        assertThat(counted + deadLetters.size()).isEqualTo(sent.size());
        assertThat(counted).isEqualTo(sent.size() - malformed);
        assertThat(deadLetters).hasSize((int) malformed);
        assertThat(deadLetters).allSatisfy(d -> {
            assertThat(d.origin()).startsWith(topics.telemetry() + "-");
            assertThat(d.offset()).isNotNegative();
            assertThat(d.reason()).isNotBlank();
        });
        assertThat(metrics).extracting(CohortMetrics::cohort).contains("baseline", "canary");
    }
}
