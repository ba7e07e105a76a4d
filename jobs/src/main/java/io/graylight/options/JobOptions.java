package io.graylight.options;

import io.graylight.sink.Topics;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.java.utils.ParameterTool;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * Typed options shared by the Graylight jobs, each a Flink {@link ConfigOption} given on the job's
 * command line as {@code --name value}. Durations use Flink's syntax (10 s, 500 ms, 1 min, 2 h).
 * Each job derives its own consumer group and transactional id from the shared prefixes, so two
 * jobs never fence each other's transactions.
 */
public record JobOptions(
        String bootstrapServers,
        Topics topics,
        String consumerGroupPrefix,
        Duration window,
        Duration slide,
        Duration maxOutOfOrderness,
        Duration idleness,
        Duration dedupTtl,
        Duration maxFutureSkew,
        DeliveryGuarantee deliveryGuarantee,
        Duration transactionTimeout,
        String transactionalIdPrefix,
        List<String> plans) implements Serializable {

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = ConfigOptions.key("bootstrap-servers")
            .stringType().defaultValue("localhost:9092").withDescription("Kafka bootstrap servers.");
    public static final ConfigOption<String> TOPIC_PREFIX = ConfigOptions.key("topic-prefix")
            .stringType().defaultValue(Topics.DEFAULT_PREFIX).withDescription("Prefix of every Graylight topic.");
    public static final ConfigOption<String> CONSUMER_GROUP = ConfigOptions.key("consumer-group")
            .stringType().defaultValue("graylight").withDescription("Prefix of the jobs' Kafka consumer groups.");
    public static final ConfigOption<Duration> WINDOW = ConfigOptions.key("window")
            .durationType().defaultValue(Duration.ofSeconds(10)).withDescription("Metrics window size (event time).");
    public static final ConfigOption<Duration> SLIDE = ConfigOptions.key("slide")
            .durationType().noDefaultValue().withDescription("Window slide; tumbling windows when absent or equal to the size.");
    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS = ConfigOptions.key("max-out-of-orderness")
            .durationType().defaultValue(Duration.ofSeconds(5)).withDescription("How late an event may arrive and still count.");
    public static final ConfigOption<Duration> IDLENESS = ConfigOptions.key("idleness")
            .durationType().defaultValue(Duration.ofSeconds(30)).withDescription("A partition silent this long stops holding back the watermark.");
    public static final ConfigOption<Duration> DEDUP_TTL = ConfigOptions.key("dedup-ttl")
            .durationType().defaultValue(Duration.ofMinutes(10)).withDescription("Event time an eventId is remembered for de-duplication.");
    public static final ConfigOption<Duration> MAX_FUTURE_SKEW = ConfigOptions.key("max-future-skew")
            .durationType().defaultValue(Duration.ofMinutes(15)).withDescription("Events dated further ahead of their Kafka timestamp are refused; 0 disables.");
    public static final ConfigOption<DeliveryGuarantee> DELIVERY_GUARANTEE = ConfigOptions.key("delivery-guarantee")
            .enumType(DeliveryGuarantee.class).defaultValue(DeliveryGuarantee.EXACTLY_ONCE).withDescription("Kafka sink guarantee.");
    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT = ConfigOptions.key("transaction-timeout")
            .durationType().defaultValue(Duration.ofMinutes(10)).withDescription("Kafka transaction timeout: above checkpoint interval plus restart time, below the broker's 15 min maximum.");
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = ConfigOptions.key("transactional-id-prefix")
            .stringType().defaultValue("graylight").withDescription("Unique per deployment; each sink appends its own name.");
    public static final ConfigOption<List<String>> PLANS = ConfigOptions.key("plan")
            .stringType().asList().defaultValues().withDescription("Rollout plan files that start by themselves (decision job), separated by ';'.");

    public static JobOptions defaults() {
        return fromConfiguration(new Configuration());
    }

    public static JobOptions fromArgs(String[] args) {
        return fromConfiguration(Configuration.fromMap(ParameterTool.fromArgs(args).toMap()));
    }

    public static JobOptions fromConfiguration(Configuration config) {
        return new JobOptions(
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
                config.get(TRANSACTIONAL_ID_PREFIX),
                List.copyOf(config.get(PLANS)));
    }

    public JobOptions withBootstrapServers(String servers) {
        return new JobOptions(servers, topics, consumerGroupPrefix, window, slide, maxOutOfOrderness, idleness,
                dedupTtl, maxFutureSkew, deliveryGuarantee, transactionTimeout, transactionalIdPrefix, plans);
    }

    public JobOptions withTopics(Topics topics) {
        return new JobOptions(bootstrapServers, topics, consumerGroupPrefix, window, slide, maxOutOfOrderness, idleness,
                dedupTtl, maxFutureSkew, deliveryGuarantee, transactionTimeout, transactionalIdPrefix, plans);
    }

    public JobOptions withWindow(Duration size, Duration slide) {
        return new JobOptions(bootstrapServers, topics, consumerGroupPrefix, size, slide, maxOutOfOrderness, idleness,
                dedupTtl, maxFutureSkew, deliveryGuarantee, transactionTimeout, transactionalIdPrefix, plans);
    }

    public JobOptions withPlans(List<String> planFiles) {
        return new JobOptions(bootstrapServers, topics, consumerGroupPrefix, window, slide, maxOutOfOrderness, idleness,
                dedupTtl, maxFutureSkew, deliveryGuarantee, transactionTimeout, transactionalIdPrefix, List.copyOf(planFiles));
    }

    public boolean tumbling() {
        return slide.equals(window);
    }

    /** The consumer group of one job, e.g. {@code graylight-metrics}. */
    public String consumerGroup(String job) {
        return consumerGroupPrefix + "-" + job;
    }

    /** The transactional id prefix of one sink, e.g. {@code graylight-metrics-dlq}. */
    public String transactionalId(String sink) {
        return transactionalIdPrefix + "-" + sink;
    }
}
