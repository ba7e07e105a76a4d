package io.graylight.elasticsearch;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.java.utils.ParameterTool;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.elasticsearch.sink.FlushBackoffType;

/**
 * Options of the indexing job's Elasticsearch sink, given as {@code --name value} like
 * {@link io.graylight.options.JobOptions}.
 *
 * @param hosts Elasticsearch HTTP endpoints, e.g. {@code http://localhost:9200}
 * @param bulkFlushMaxActions documents per bulk request
 * @param bulkFlushMaxSize bytes per bulk request (rounded up to whole MB: the connector's unit)
 * @param bulkFlushInterval a bulk request goes out at least this often while documents wait
 * @param backoffType how a bulk rejected by a busy node is retried: CONSTANT, EXPONENTIAL or NONE
 * @param backoffDelay the first retry's delay
 * @param backoffRetries retries of a rejected bulk before the job fails and restarts
 * @param dlqStateTtl how long a DLQ minute's count is kept after its last dead letter
 */
public record EsOptions(
        List<URI> hosts,
        int bulkFlushMaxActions,
        MemorySize bulkFlushMaxSize,
        Duration bulkFlushInterval,
        FlushBackoffType backoffType,
        Duration backoffDelay,
        int backoffRetries,
        Duration dlqStateTtl) implements Serializable {

    public static final ConfigOption<List<String>> HOSTS = ConfigOptions.key("elasticsearch")
            .stringType().asList().defaultValues("http://localhost:9200")
            .withDescription("Elasticsearch HTTP endpoints, separated by ';'.");
    public static final ConfigOption<Integer> BULK_FLUSH_MAX_ACTIONS = ConfigOptions.key("bulk-flush-max-actions")
            .intType().defaultValue(1000).withDescription("Documents per bulk request.");
    public static final ConfigOption<MemorySize> BULK_FLUSH_MAX_SIZE = ConfigOptions.key("bulk-flush-max-size")
            .memoryType().defaultValue(MemorySize.parse("5mb")).withDescription("Bytes per bulk request (whole MB).");
    public static final ConfigOption<Duration> BULK_FLUSH_INTERVAL = ConfigOptions.key("bulk-flush-interval")
            .durationType().defaultValue(Duration.ofSeconds(1)).withDescription("Longest wait before a bulk request goes out.");
    public static final ConfigOption<FlushBackoffType> BACKOFF_TYPE = ConfigOptions.key("bulk-flush-backoff-type")
            .enumType(FlushBackoffType.class).defaultValue(FlushBackoffType.EXPONENTIAL)
            .withDescription("Retry of bulk requests a busy node rejects: CONSTANT, EXPONENTIAL or NONE.");
    public static final ConfigOption<Duration> BACKOFF_DELAY = ConfigOptions.key("bulk-flush-backoff-delay")
            .durationType().defaultValue(Duration.ofMillis(200)).withDescription("First retry delay of a rejected bulk.");
    public static final ConfigOption<Integer> BACKOFF_RETRIES = ConfigOptions.key("bulk-flush-backoff-retries")
            .intType().defaultValue(8).withDescription("Retries of a rejected bulk before the job fails and restarts.");
    public static final ConfigOption<Duration> DLQ_STATE_TTL = ConfigOptions.key("dlq-state-ttl")
            .durationType().defaultValue(Duration.ofHours(1))
            .withDescription("How long a DLQ minute's count is kept after its last dead letter.");

    public static EsOptions defaults() {
        return fromConfiguration(new Configuration());
    }

    public static EsOptions fromArgs(String[] args) {
        return fromConfiguration(Configuration.fromMap(ParameterTool.fromArgs(args).toMap()));
    }

    public static EsOptions fromConfiguration(Configuration config) {
        List<URI> hosts = config.get(HOSTS).stream().map(String::trim).filter(h -> !h.isEmpty()).map(URI::create).toList();
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("--" + HOSTS.key() + " names no host");
        }
        for (URI host : hosts) {
            if (host.getHost() == null || !("http".equals(host.getScheme()) || "https".equals(host.getScheme()))) {
                throw new IllegalArgumentException("--" + HOSTS.key() + ": '" + host + "' is not an http(s)://host:port URL");
            }
        }
        return new EsOptions(hosts, config.get(BULK_FLUSH_MAX_ACTIONS), config.get(BULK_FLUSH_MAX_SIZE),
                config.get(BULK_FLUSH_INTERVAL), config.get(BACKOFF_TYPE), config.get(BACKOFF_DELAY),
                config.get(BACKOFF_RETRIES), config.get(DLQ_STATE_TTL));
    }

    public EsOptions withHosts(URI... urls) {
        return new EsOptions(List.of(urls), bulkFlushMaxActions, bulkFlushMaxSize, bulkFlushInterval, backoffType,
                backoffDelay, backoffRetries, dlqStateTtl);
    }

    public EsOptions withBulkFlush(int maxActions, Duration interval) {
        return new EsOptions(hosts, maxActions, bulkFlushMaxSize, interval, backoffType, backoffDelay, backoffRetries,
                dlqStateTtl);
    }
}
