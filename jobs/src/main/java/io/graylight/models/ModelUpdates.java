package io.graylight.models;

import io.graylight.options.JobOptions;
import io.graylight.sink.Topics;
import io.graylight.types.JsonRecordDeserializer;
import io.graylight.types.JsonTypeInfo;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The input side of a live model upgrade, shared by every job that serves a model: the compacted
 * {@code graylight.models} topic (key = model) as a source, and the updates of one model broadcast
 * to that job's scorers, whose {@link LiveModel} loads them.
 */
public final class ModelUpdates {

    private ModelUpdates() {}

    public static String topic(Topics topics) {
        return topics.prefix() + "models";
    }

    /**
     * The models topic, read from the beginning: it is compacted, so a new deployment first loads
     * the latest version published for its model, whatever {@code model-dir} says.
     *
     * @param job the reading job, for its consumer group ({@code anomaly}, {@code targeting})
     */
    public static KafkaSource<ModelUpdate> kafka(JobOptions options, String job) {
        return KafkaSource.<ModelUpdate>builder()
                .setBootstrapServers(options.bootstrapServers())
                .setTopics(topic(options.topics()))
                .setGroupId(options.consumerGroup(job + "-models"))
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new JsonRecordDeserializer<>(ModelUpdate.class, ModelUpdate::problem))
                .build();
    }

    /**
     * Broadcast state of the version a scorer agreed to serve, named per model (the anomaly job's
     * savepoints hold {@code anomaly-model}).
     */
    public static MapStateDescriptor<String, ModelUpdate> stateDescriptor(String model) {
        return new MapStateDescriptor<>(model + "-model", org.apache.flink.api.common.typeinfo.Types.STRING,
                JsonTypeInfo.of(ModelUpdate.class));
    }

    /**
     * The updates of {@code model} from {@code source}, broadcast under {@link #stateDescriptor}.
     * Operator uids derive from the model ({@code anomaly-models-source}, ...).
     *
     * @param source the models topic; null for a job that keeps the model it started with (replay, tests)
     */
    public static BroadcastStream<ModelUpdate> broadcast(StreamExecutionEnvironment env, Source<ModelUpdate, ?, ?> source, String model) {
        // The model source never carries event time; idle, it must not hold the scorer's watermark back.
        DataStream<ModelUpdate> updates = source == null
                ? env.fromData(new ModelUpdate("none", "none", null)).returns(JsonTypeInfo.of(ModelUpdate.class))
                : env.fromSource(source, WatermarkStrategy.<ModelUpdate>noWatermarks().withIdleness(Duration.ofSeconds(1)), "models")
                        .uid(model + "-models-source");
        return updates
                .filter(u -> u != null && u.problem() == null && model.equals(u.model()))
                .name("valid-model-updates")
                .uid(model + "-valid-model-updates")
                .broadcast(stateDescriptor(model));
    }
}
