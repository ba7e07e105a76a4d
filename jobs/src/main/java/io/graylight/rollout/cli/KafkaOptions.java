package io.graylight.rollout.cli;

import io.graylight.cli.DurationConverter;
import io.graylight.sink.Topics;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where the operator commands talk to: the broker, the topic prefix and how long to wait for it. */
public final class KafkaOptions {

    public static final String KAFKA = "--kafka";
    public static final String TOPIC_PREFIX = "--topic-prefix";
    public static final String TIMEOUT = "--timeout";

    @Option(names = KAFKA, paramLabel = "BOOTSTRAP", defaultValue = "localhost:9092",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = TOPIC_PREFIX, paramLabel = "PREFIX", defaultValue = Topics.DEFAULT_PREFIX,
            description = "Prefix of the Graylight topics (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = TIMEOUT, paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long to wait for the broker (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Topics topics() {
        return new Topics(topicPrefix);
    }

    public Duration timeout() {
        return timeout;
    }
}
