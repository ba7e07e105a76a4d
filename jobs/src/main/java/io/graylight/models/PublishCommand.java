package io.graylight.models;

import io.graylight.contracts.json.Json;
import io.graylight.ml.anomaly.AnomalyDetector;
import io.graylight.ml.store.LoadedModel;
import io.graylight.ml.store.ModelLoadException;
import io.graylight.ml.store.ModelLoader;
import io.graylight.ml.store.ModelStore;
import io.graylight.ml.targeting.TargetingModel;
import io.graylight.rollout.cli.CommandSender;
import io.graylight.rollout.cli.KafkaOptions;
import java.io.PrintWriter;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code graylight models publish anomaly|targeting VERSION}: the one way to roll a model version out
 * to running jobs. The directory {@code MODELS/MODEL/VERSION} is verified here first, as the jobs
 * will (checksum, allow-listed deserialization, class, metadata naming this model and version), so
 * a bad file is caught before it is sent; then a {@link ModelUpdate} goes to the compacted
 * {@code <prefix>models} topic (key = model) with {@code acks=all}. Every running anomaly or
 * targeting job loads it, verifies it again and switches without a restart; a job that refuses it
 * keeps its model and says why in its log ({@code modelRefusals}). Publishing an older version rolls
 * back. Exit codes: 0 sent (or printed with {@code --dry-run}); 1 Kafka did not take it; 2 the model
 * was refused here, nothing sent.
 */
@Command(name = "publish", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Roll a model version out to the running jobs without a restart.",
                "Verifies MODELS/MODEL/VERSION here, then sends {\"model\",\"version\",\"path\"} to <prefix>models (compacted, key = model).",
                "A model refused here is reported with the file and the reason (exit 2) and nothing is sent."},
        footer = {"", "Examples:",
                "  graylight models publish anomaly v2 --kafka kafka:9092",
                "  graylight models publish targeting v2 --job-path /models/targeting/v2   # where the task managers see it",
                "  graylight models publish anomaly v1                                     # roll back"})
public final class PublishCommand implements Callable<Integer> {

    /** The models a job serves, with the class their file must hold. */
    public enum Model {
        anomaly(AnomalyDetector.class), targeting(TargetingModel.class);

        final Class<? extends Serializable> type;

        Model(Class<? extends Serializable> type) {
            this.type = type;
        }
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "anomaly or targeting")
    Model model;

    @Parameters(index = "1", paramLabel = "VERSION", description = "the version directory, e.g. v2")
    String version;

    @Option(names = "--models", paramLabel = "DIR", description = "model root directory (default: ${DEFAULT-VALUE})")
    Path models = Path.of("ml-models");

    @Option(names = "--job-path", paramLabel = "DIR",
            description = "the version's directory as the task managers see it (default: its absolute path here)")
    String jobPath;

    @Option(names = "--dry-run", description = "Verify the model and print the update as JSON; send nothing.")
    boolean dryRun;

    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path dir = ModelStore.directory(models, model.name(), version);
        LoadedModel<? extends Serializable> loaded;
        try {
            loaded = ModelLoader.load(dir, model.type);
        } catch (ModelLoadException e) {
            err.println(e.getMessage());
            err.println("models publish: nothing sent");
            err.flush();
            return 2;
        }
        if (!model.name().equals(loaded.metadata().model()) || !version.equals(loaded.metadata().version())) {
            err.println("model refused: " + dir.resolve(ModelStore.METADATA_FILE) + " says " + loaded.id()
                    + ", not " + model.name() + "@" + version);
            err.println("models publish: nothing sent");
            err.flush();
            return 2;
        }
        ModelUpdate update = new ModelUpdate(model.name(), version,
                jobPath != null ? jobPath : dir.toAbsolutePath().normalize().toString());
        if (dryRun) {
            out.println(Json.toString(update));
            out.flush();
            return 0;
        }
        String topic = ModelUpdates.topic(kafka.topics());
        try (CommandSender sender = new CommandSender(kafka.bootstrapServers(), kafka.timeout())) {
            RecordMetadata acked = sender.send(topic, model.name().getBytes(StandardCharsets.UTF_8), Json.toBytes(update));
            out.printf("published %s (sha256 %s) from %s (%s-%d@%d); running jobs switch once they have verified it%n",
                    loaded.id(), loaded.sha256(), update.path(), acked.topic(), acked.partition(), acked.offset());
            out.flush();
            return 0;
        } catch (ExecutionException e) {
            err.println("models publish: not sent to " + topic + " at " + kafka.bootstrapServers() + ": " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            err.println("models publish: no acknowledgement from " + kafka.bootstrapServers() + " within " + kafka.timeout()
                    + "; the update may or may not have been written");
        } catch (KafkaException e) {
            err.println("models publish: not sent to " + topic + " at " + kafka.bootstrapServers() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("models publish: interrupted; the update may or may not have been written");
        }
        err.flush();
        return 1;
    }
}
