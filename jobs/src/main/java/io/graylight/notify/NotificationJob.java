package io.graylight.notify;

import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.options.JobOptions;
import io.graylight.types.JsonRecordDeserializer;
import io.graylight.types.JsonTypeInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.utils.ParameterTool;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Alerts and decisions to webhooks (Slack-compatible or generic JSON), as {@code notifications.yaml}
 * says: per-target filters on alert severity/effect and decision action, a token-bucket rate limit,
 * retries with backoff, and de-duplication by alert id or release and seq within a window.
 *
 * <pre>
 * alerts ────► to notification ─┐
 *                               ├─► keyBy key ─► de-duplicate (window) ─► webhook sink (async queues)
 * decisions ─► to notification ─┘
 * </pre>
 *
 * <p>Delivery never blocks the job: the sink only queues ({@link WebhookDispatcher}); a full queue
 * or an exhausted rate limit drops and counts. Options ({@code --name value}): {@code notifications}
 * (the YAML file, required), {@code bootstrap-servers}, {@code topic-prefix}, {@code consumer-group}
 * (prefix). A new deployment starts at the latest offsets (no re-paging of history); afterwards the
 * committed offsets. Decisions are read {@code read_committed}.
 */
public final class NotificationJob {

    public static final String NAME = "graylight-notifications";
    public static final ConfigOption<String> NOTIFICATIONS = ConfigOptions.key("notifications").stringType().noDefaultValue()
            .withDescription("The notifications YAML file (targets, filters, rate limits, dedupe window).");
    static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

    private final Source<Alert, ?, ?> alerts;
    private final Source<DecisionRecord, ?, ?> decisions;
    private final Sink<Notification> webhooks;
    private final Duration dedupeWindow;

    /** @param alerts alert records; null for none. @param decisions decision records; null for none */
    public NotificationJob(Source<Alert, ?, ?> alerts, Source<DecisionRecord, ?, ?> decisions,
                           Sink<Notification> webhooks, Duration dedupeWindow) {
        this.alerts = alerts;
        this.decisions = decisions;
        this.webhooks = webhooks;
        this.dedupeWindow = dedupeWindow;
    }

    public static void main(String[] args) throws Exception {
        Configuration config = Configuration.fromMap(ParameterTool.fromArgs(args).toMap());
        String file = config.getOptional(NOTIFICATIONS)
                .orElseThrow(() -> new IllegalArgumentException("--notifications FILE is required"));
        NotificationConfig notifications = NotificationConfigParser.parse(Path.of(file));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        forKafka(JobOptions.fromConfiguration(config), notifications,
                OffsetsInitializer.committedOffsets(OffsetResetStrategy.LATEST), null).build(env);
        env.execute(NAME);
    }

    /**
     * @param start where a consumer group without committed offsets starts
     * @param stopAt where the sources stop (bounded runs, tests); null to follow the topics
     */
    public static NotificationJob forKafka(JobOptions options, NotificationConfig config, OffsetsInitializer start,
                                           OffsetsInitializer stopAt) {
        return new NotificationJob(
                kafka(options, options.topics().alerts(), "notify-alerts", Alert.class, start, stopAt),
                kafka(options, options.topics().decisions(), "notify-decisions", DecisionRecord.class, start, stopAt),
                new WebhookSink(config.targets(), CLOSE_GRACE),
                config.dedupeWindow());
    }

    private static <T> KafkaSource<T> kafka(JobOptions options, String topic, String group, Class<T> type,
                                            OffsetsInitializer start, OffsetsInitializer stopAt) {
        Properties properties = new Properties();
        properties.setProperty("isolation.level", "read_committed");
        KafkaSourceBuilder<T> source = KafkaSource.<T>builder()
                .setBootstrapServers(options.bootstrapServers())
                .setTopics(topic)
                .setGroupId(options.consumerGroup(group))
                .setStartingOffsets(start)
                .setProperties(properties)
                .setDeserializer(new JsonRecordDeserializer<>(type, NotificationJob::missingField));
        if (stopAt != null) {
            source.setBounded(stopAt);
        }
        return source.build();
    }

    public void build(StreamExecutionEnvironment env) {
        JsonTypeInfo<Notification> type = JsonTypeInfo.of(Notification.class);
        DataStream<Notification> notifications = null;
        if (alerts != null) {
            notifications = env.fromSource(alerts, WatermarkStrategy.noWatermarks(), "alerts").uid("alerts-source")
                    .map(Notification::of, type).name("alert-to-notification").uid("alert-to-notification");
        }
        if (decisions != null) {
            DataStream<Notification> fromDecisions = env.fromSource(decisions, WatermarkStrategy.noWatermarks(), "decisions")
                    .uid("decisions-source")
                    .map(Notification::of, type).name("decision-to-notification").uid("decision-to-notification");
            notifications = notifications == null ? fromDecisions : notifications.union(fromDecisions);
        }
        if (notifications == null) {
            throw new IllegalArgumentException("a notification job needs alerts or decisions");
        }
        notifications
                .keyBy(Notification::key)
                .process(new DeduplicateNotifications(dedupeWindow), type)
                .name("deduplicate-notifications").uid("deduplicate-notifications")
                .sinkTo(webhooks).name("webhooks").uid("webhooks");
    }

    /**
     * What a notification cannot do without (an alert's id, release, severity and effect; a
     * decision's release and action): the first such field a record lacks, or null.
     */
    static String missingField(Object record) {
        if (record instanceof Alert a) {
            String missing = a.alertId() == null ? "alertId" : a.release() == null ? "release" : a.severity() == null ? "severity"
                    : a.effect() == null ? "effect" : null;
            return missing == null ? null : "no " + missing;
        }
        if (record instanceof DecisionRecord d) {
            String missing = d.release() == null ? "release" : d.action() == null ? "action" : null;
            return missing == null ? null : "no " + missing;
        }
        return null;
    }
}
