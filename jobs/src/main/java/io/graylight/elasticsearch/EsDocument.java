package io.graylight.elasticsearch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.alert.AlertSource;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.json.Json;
import io.graylight.contracts.metrics.CohortMetrics;
import java.time.Instant;
import java.util.Objects;

/**
 * One document on its way to Elasticsearch: its daily index, its deterministic id and its JSON
 * source (the contract record plus {@code @timestamp}). A Flink POJO (public fields, no-arg
 * constructor), so it travels without Kryo.
 */
public final class EsDocument {

    public String index;
    public String id;
    public String source;

    public EsDocument() {}

    public EsDocument(String index, String id, String source) {
        this.index = index;
        this.id = id;
        this.source = source;
    }

    public static EsDocument of(CohortMetrics m) {
        require(m.release(), "release");
        require(m.cohort(), "cohort");
        require(m.windowStart(), "windowStart");
        return new EsDocument(EsIndices.Family.METRICS.index(m.windowStart()),
                EsIndices.metricsId(m.release(), m.cohort(), m.windowStart()), withTimestamp(m, m.windowStart()));
    }

    /** Alerts of CEP rules go to the alerts family, anomaly-model alerts to the anomalies family. */
    public static EsDocument of(Alert a) {
        require(a.alertId(), "alertId");
        require(a.source(), "source");
        Instant time = require(a.eventTime() != null ? a.eventTime() : a.emittedAt(), "eventTime");
        EsIndices.Family family = a.source() == AlertSource.ANOMALY ? EsIndices.Family.ANOMALIES : EsIndices.Family.ALERTS;
        return new EsDocument(family.index(time), a.alertId(), withTimestamp(a, time));
    }

    public static EsDocument of(DecisionRecord d) {
        require(d.release(), "release");
        require(d.action(), "action");
        Instant time = require(d.eventTime() != null ? d.eventTime() : d.emittedAt(), "eventTime");
        return new EsDocument(EsIndices.Family.DECISIONS.index(time), EsIndices.decisionId(d.release(), d.seq()),
                withTimestamp(d, time));
    }

    public static EsDocument of(DlqSummary s) {
        return new EsDocument(EsIndices.Family.DLQ.index(s.minute()), EsIndices.dlqId(s.minute(), s.release(), s.reason()),
                withTimestamp(s, s.minute()));
    }

    private static String withTimestamp(Object record, Instant timestamp) {
        ObjectNode tree = Json.MAPPER.valueToTree(record);
        tree.put(EsIndices.TIMESTAMP, timestamp.toString());
        return tree.toString();
    }

    private static <T> T require(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("missing " + field);
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EsDocument d && Objects.equals(index, d.index) && Objects.equals(id, d.id)
                && Objects.equals(source, d.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, id, source);
    }

    @Override
    public String toString() {
        return index + "/" + id;
    }
}
