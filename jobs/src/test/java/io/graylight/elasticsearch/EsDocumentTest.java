package io.graylight.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.graylight.contracts.alert.AlertSource;
import io.graylight.contracts.alert.Severity;
import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.decision.Evidence;
import io.graylight.contracts.decision.Strategy;
import io.graylight.contracts.json.Json;
import io.graylight.contracts.telemetry.DeadLetter;
import io.graylight.contracts.telemetry.ValidationProblem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import io.graylight.sink.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Documents: daily index by event time, deterministic ids, the contract JSON plus @timestamp; DLQ summary keys. */
class EsDocumentTest {

    @Test
    void aDecisionKeepsItsContractJsonAndGoesToTheIndexOfItsEventDay() throws Exception {
        DecisionRecord d = new DecisionRecord("chat", 7, Action.ROLLBACK, 2, 0.0, Instant.parse("2026-12-01T23:59:59.900Z"),
                Instant.parse("2026-12-02T00:00:00.300Z"), Strategy.percentage(), "error_rate: worse",
                List.of(new Evidence("error_rate", 0.01, 0.04, "e-value", 152.3, 100, 5400, 610)));
        EsDocument doc = EsDocument.of(d);
        assertThat(doc.index).isEqualTo("graylight-decisions-2026.12.01");
        assertThat(doc.id).isEqualTo("chat|7");
        JsonNode source = Json.MAPPER.readTree(doc.source);
        assertThat(source.path(EsIndices.TIMESTAMP).asText()).isEqualTo("2026-12-01T23:59:59.900Z");
        ((com.fasterxml.jackson.databind.node.ObjectNode) source).remove(EsIndices.TIMESTAMP);
        assertThat(source).isEqualTo(Json.MAPPER.readTree(Json.toString(d)));
        assertThat(EsDocument.of(d)).isEqualTo(doc);
    }

    @Test
    void alertsGoToTheirFamilyBySourceAndKeepTheirId() {
        Instant at = Instant.parse("2026-12-03T10:00:00Z");
        assertThat(EsDocument.of(EsIndexingJobTest.alert("a1", AlertSource.CEP, at, Severity.CRITICAL)).index)
                .isEqualTo("graylight-alerts-2026.12.03");
        EsDocument anomaly = EsDocument.of(EsIndexingJobTest.alert("a2", AlertSource.ANOMALY, at, Severity.WARNING));
        assertThat(anomaly.index).isEqualTo("graylight-anomalies-2026.12.03");
        assertThat(anomaly.id).isEqualTo("a2");
        assertThatThrownBy(() -> EsDocument.of(EsIndexingJobTest.alert(null, AlertSource.CEP, at, Severity.INFO)))
                .hasMessageContaining("alertId");
    }

    @Test
    void deadLettersAreSummarisedByMinuteReleaseAndReasonWithoutTheOffendingValue() {
        Instant t = Instant.parse("2026-12-01T10:04:59.999Z");
        DlqSummary negative = DlqSummary.of(letter(new ValidationProblem("latencyMs", "-5", "must be >= 0"),
                "{\"release\":\"chat\",\"latencyMs\":-5}", t));
        DlqSummary other = DlqSummary.of(letter(new ValidationProblem("latencyMs", "-7.5", "must be >= 0"),
                "{\"type\":\"request\", \"release\" : \"chat\"", t.minusSeconds(50)));
        assertThat(negative).isEqualTo(new DlqSummary(Instant.parse("2026-12-01T10:04:00Z"), "chat", "latencyMs: must be >= 0", 1));
        assertThat(other.id()).as("same minute, release and rule: one row").isEqualTo(negative.id());

        DlqSummary notJson = DlqSummary.of(letter(new ValidationProblem(null, null, "not JSON: Unexpected character ('x' (code 120))"),
                "xyz", t));
        assertThat(notJson.release()).isEqualTo(DlqSummary.UNKNOWN_RELEASE);
        assertThat(notJson.reason()).isEqualTo("not JSON");
        assertThat(EsDocument.of(negative.withCount(3)).index).isEqualTo("graylight-dlq-2026.12.01");
    }

    @Test
    void theIndexingJobSkipsAnUnreadableRecordAndIndexesTheNextOne() {
        Topics topics = new Topics("t.");
        var deserializer = new IndexingJob.ContractRecordDeserializer(topics);
        List<EsDocument> out = new ArrayList<>();
        Collector<EsDocument> collector = new Collector<>() {
            @Override public void collect(EsDocument record) { out.add(record); }
            @Override public void close() {}
        };
        DecisionRecord d = new DecisionRecord("chat", 1, Action.START, 0, 10.0, Instant.parse("2026-12-01T10:00:00Z"),
                Instant.parse("2026-12-01T10:00:00Z"), Strategy.percentage(), "started", List.of());
        deserializer.deserialize(new ConsumerRecord<>(topics.decisions(), 0, 0, null, "{not json".getBytes(StandardCharsets.UTF_8)), collector);
        deserializer.deserialize(new ConsumerRecord<>(topics.decisions(), 0, 1, null, "{\"seq\":2}".getBytes(StandardCharsets.UTF_8)), collector);
        deserializer.deserialize(new ConsumerRecord<>(topics.decisions(), 0, 2, null, null), collector);
        deserializer.deserialize(new ConsumerRecord<>(topics.decisions(), 0, 3, null, Json.toBytes(d)), collector);
        assertThat(out).containsExactly(EsDocument.of(d));
    }

    private static DeadLetter letter(ValidationProblem problem, String raw, Instant eventTime) {
        return DeadLetter.of(problem, raw.getBytes(StandardCharsets.UTF_8), "t-0", 1, eventTime, eventTime);
    }
}
