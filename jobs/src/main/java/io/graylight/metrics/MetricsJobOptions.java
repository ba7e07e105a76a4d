package io.graylight.metrics;

import io.graylight.sink.Topics;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.api.java.utils.ParameterTool;

/**
 * Typed options of {@link TelemetryMetricsJob}. Each is a Flink {@link ConfigOption}, so it can be
 * given as {@code --window 10s} on the command line or as {@code graylight.metrics.window} in
 * Flink configuration; durations use Flink's syntax (10 s, 500 ms, 1 min, 2 h).
 */
public record MetricsJobOptions(
        String bootstrapServers,
        Topics topics,
        String consumerGroup,
        Duration window,
        Duration slide,
        Duration maxOutOfOrderness,
        Duration idleness,
        Duration dedupTtl,
        Duration maxFutureSkew,
        DeliveryGuarantee deliveryGuarantee,
        Duration transactionTimeout,
        String transactionalIdPrefix) implements Serializable {

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = ConfigOptions.key("bootstrap-servers")
            .stringType().defaultValue("localhost:9092").withDescription("Kafka bootstrap servers.");
    public static final ConfigOption<String> TOPIC_PREFIX = ConfigOptions.key("topic-prefix")
            .stringType().defaultValue(Topics.DEFAULT_PREFIX).withDescription("Prefix of every Graylight topic.");
    public static final ConfigOption<String> CONSUMER_GROUP = ConfigOptions.key("consumer-group")
            .stringType().defaultValue("graylight-metrics").withDescription("Kafka consumer group of the telemetry source.");
    public static final ConfigOption<Duration> WINDOW = ConfigOptions.key("window")
            .durationType().defaultValue(Duration.ofSeconds(10)).withDescription("Metrics window size (event time).");
    public static final ConfigOption<Duration> SLIDE = ConfigOptions.key("slide")
            .durationType().noDefaultValue().withDescription("Window slide; tumbling windows when absent or equal to the size.");
    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS = ConfigOptions.key("max-out-of-orderness")
            .durationType().defaultValue(Duration.ofSeconds(5)).withDescription("How late an event may arrive and still count in its window.");
    public static final ConfigOption<Duration> IDLENESS = ConfigOptions.key("idleness")
            .durationType().defaultValue(Duration.ofSeconds(30)).withDescription("A partition silent this long stops holding back the watermark.");
    public static final ConfigOption<Duration> DEDUP_TTL = ConfigOptions.key("dedup-ttl")
            .durationType().defaultValue(Duration.ofMinutes(10)).withDescription("Event time an eventId is remembered for de-duplication.");
    public static final ConfigOption<Duration> MAX_FUTURE_SKEW = ConfigOptions.key("max-future-skew")
            .durationType().defaultValue(Duration.ofMinutes(15)).withDescription("Events dated further ahead of their Kafka timestamp go to the DLQ; 0 disables.");
    public static final ConfigOption<DeliveryGuarantee> DELIVERY_GUARANTEE = ConfigOptions.key("delivery-guarantee")
            .enumType(DeliveryGuarantee.class).defaultValue(DeliveryGuarantee.EXACTLY_ONCE).withDescription("Kafka sink guarantee.");
    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT = ConfigOptions.key("transaction-timeout")
            .durationType().defaultValue(Duration.ofMinutes(10)).withDescription("Kafka transaction timeout; below the broker's 15 min maximum.");
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = ConfigOptions.key("transactional-id-prefix")
            .stringType().defaultValue("graylight-metrics").withDescription("Unique per job deployment.");

    public static MetricsJobOptions defaults() {
        return fromConfiguration(new Configuration());
    }

    public static MetricsJobOptions fromArgs(String[] args) {
        return fromConfiguration(Configuration.fromMap(ParameterTool.fromArgs(args).toMap()));
    }

    public static MetricsJobOptions fromConfiguration(Configuration config) {
        return new MetricsJobOptions(
                config.get(BOOTSTRAP_SERVERS),
                new Topics(config.get(TOPIC_PREFIX)),
                config.get(CONSUMER_GROUP),
                config.get(WINDOW),
                config.getOptional(SLIDE).orElse(config.get(WINDOW)),
                config.get(MAX_OUT_OF_ORDERNESS),
                config.get(IDLENESS),
                config.get(DEDUP_TTL),
                config.get(MAX_FUTURE_SKEW),
                config.get(DELIVERY_GUARANTEE),
                config.get(TRANSACTION_TIMEOUT),
                config.get(TRANSACTIONAL_ID_PREFIX));
    }

    public MetricsJobOptions withBootstrapServers(String servers) {
        return new MetricsJobOptions(servers, topics, consumerGroup, window, slide, maxOutOfOrderness, idleness,
                dedupTtl, maxFutureSkew, deliveryGuarantee, transactionTimeout, transactionalIdPrefix);
    }

    public MetricsJobOptions withWindow(Duration size, Duration slide) {
        return new MetricsJobOptions(bootstrapServers, topics, consumerGroup, size, slide, maxOutOfOrderness, idleness,
                dedupTtl, maxFutureSkew, deliveryGuarantee, transactionTimeout, transactionalIdPrefix);
    }

    public MetricsJobOptions withTopics(Topics topics) {
        return new MetricsJobOptions(bootstrapServers, topics, consumerGroup, window, slide, maxOutOfOrderness, idleness,
                dedupTtl, maxFutureSkew, deliveryGuarantee, transactionTimeout, transactionalIdPrefix);
    }

    public boolean tumbling() {
        return slide.equals(window);
    }
}
