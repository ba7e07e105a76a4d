package io.graylight.models;

import io.graylight.cli.GraylightCli;
import io.graylight.contracts.json.Json;
import io.graylight.embedded.EmbeddedKafka;
import io.graylight.ml.store.ModelStore;
import io.graylight.sink.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** What the jobs' Kafka tests of a live model upgrade share: the cluster, publishing, tampering, and the scorers' counters. */
public final class LiveModelKafka {

    /** The scoring jobs' parallelism in these tests: one task manager with as many slots. */
    public static final int PARALLELISM = 2;

    private LiveModelKafka() {}

    /** A MiniCluster (1 task manager, {@link #PARALLELISM} slots) whose metrics {@code reporter} keeps, for {@link #counters}. */
    public static MiniClusterExtension miniCluster(InMemoryReporter reporter) {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setConfiguration(reporter.addToConfiguration(new Configuration()))
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(PARALLELISM)
                .build());
    }

    /** {@code graylight models publish MODEL VERSION}, as an operator runs it; its exit code. */
    public static int publish(EmbeddedKafka kafka, Topics topics, Path root, String model, String version) {
        return GraylightCli.commandLine().execute("models", "publish", model, version, "--models", root.toString(),
                "--kafka", kafka.bootstrapServers(), "--topic-prefix", topics.prefix(), "--timeout", "20s");
    }

    /**
     * An update the CLI would refuse, sent straight to the topic: a file damaged on the task
     * managers' volume after it was published looks the same to the job.
     */
    public static void sendRaw(EmbeddedKafka kafka, Topics topics, ModelUpdate update) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(kafka.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(ModelUpdates.topic(topics), update.model().getBytes(StandardCharsets.UTF_8),
                    Json.toBytes(update))).get();
        }
    }

    /** A copy of {@code good} as {@code MODEL/VERSION} whose model file has one byte flipped after its checksum was taken. */
    public static Path tamperedCopy(Path good, Path root, String model, String version) throws Exception {
        Path dir = Files.createDirectories(ModelStore.directory(root, model, version));
        Files.copy(good.resolve(ModelStore.CHECKSUM_FILE), dir.resolve(ModelStore.CHECKSUM_FILE));
        String metadata = Files.readString(good.resolve(ModelStore.METADATA_FILE))
                .replaceFirst("\"version\"\\s*:\\s*\"[^\"]*\"", "\"version\" : \"" + version + "\"");
        Files.writeString(dir.resolve(ModelStore.METADATA_FILE), metadata);
        byte[] bytes = Files.readAllBytes(good.resolve(ModelStore.MODEL_FILE));
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(dir.resolve(ModelStore.MODEL_FILE), bytes);
        return dir;
    }

    /** One counter's value per scoring subtask of the job (empty until the scorers have opened). */
    public static List<Long> counters(InMemoryReporter reporter, JobID job, String name) {
        Map<String, org.apache.flink.metrics.Metric> metrics = reporter.findMetrics(job, ".*\\." + name + "$");
        return metrics.values().stream().map(m -> ((Counter) m).getCount()).toList();
    }

    /** Whether every one of the {@link #PARALLELISM} scoring subtasks' counter {@code name} has reached {@code atLeast}. */
    public static boolean everySubtaskCounted(InMemoryReporter reporter, JobClient job, String name, long atLeast) {
        List<Long> counts = counters(reporter, job.getJobID(), name);
        return counts.size() == PARALLELISM && counts.stream().allMatch(c -> c >= atLeast);
    }
}
