package io.graylight.elasticsearch;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The Elasticsearch index families Graylight writes, one daily index per family and UTC day of the
 * document's event time: {@code graylight-metrics-2026.12.01}. The indexing job writes them; the
 * report reads them ({@code --from ES}); the Kibana index patterns and the index templates match
 * {@link Family#pattern()}.
 *
 * <p>Every document's source is the contract record's JSON as written by
 * {@code io.graylight.contracts.json.Json} (CohortMetrics, Alert, DecisionRecord; the DLQ family
 * holds {@link DlqSummary}), plus {@code @timestamp} (the event time Kibana plots against).
 */
public final class EsIndices {

    /** The event-time field added to every document: the window start, the alert's or decision's eventTime, the DLQ minute. */
    public static final String TIMESTAMP = "@timestamp";

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);

    /** An index family: its name prefix and the event-time field its daily index is chosen by. */
    public enum Family {
        /** CohortMetrics, id {@code release|cohort|windowStart}; event time = windowStart. */
        METRICS("graylight-metrics"),
        /** Alert with source cep, id = alertId; event time = eventTime. */
        ALERTS("graylight-alerts"),
        /** Alert with source anomaly, id = alertId; event time = eventTime. */
        ANOMALIES("graylight-anomalies"),
        /** DecisionRecord, id {@code release|seq}; event time = eventTime. */
        DECISIONS("graylight-decisions"),
        /** DlqSummary (dead letters per minute, release and reason), id {@code minute|release|reason}. */
        DLQ("graylight-dlq");

        private final String prefix;

        Family(String prefix) {
            this.prefix = prefix;
        }

        /** {@code graylight-metrics} */
        public String prefix() {
            return prefix;
        }

        /** {@code graylight-metrics-*}: what a search, an index template or a Kibana index pattern names. */
        public String pattern() {
            return prefix + "-*";
        }

        /** The daily index for a document of this event time, e.g. {@code graylight-metrics-2026.12.01}. */
        public String index(Instant eventTime) {
            return prefix + "-" + DAY.format(eventTime);
        }

        /** The index template's name. */
        public String templateName() {
            return prefix;
        }
    }

    private EsIndices() {}

    public static List<Family> all() {
        return List.of(Family.values());
    }

    /** The document id of a metrics window: one per release, cohort and window start. */
    public static String metricsId(String release, String cohort, Instant windowStart) {
        return release + "|" + cohort + "|" + windowStart;
    }

    /** The document id of a decision: seq is unique per release. */
    public static String decisionId(String release, long seq) {
        return release + "|" + seq;
    }

    /** The document id of a DLQ summary: one per minute, release and reason. */
    public static String dlqId(Instant minute, String release, String reason) {
        return minute + "|" + release + "|" + reason;
    }
}
