package io.graylight.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.alert.AlertSource;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.json.Json;
import io.graylight.contracts.metrics.CohortMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Records {@code src/test/resources/report/es-exchanges.json} from a real Elasticsearch 7.17: puts
 * the indexing job's index templates ({@code GRAYLIGHT_ES_TEMPLATES}, a directory of
 * {@code graylight-*.json}), indexes {@link EsSamples} the way the indexing job does (daily index by
 * event time, deterministic ids, {@code @timestamp}), reads the report's data back through
 * {@link ElasticsearchReportSource} with a small page size and writes every exchange. Runs only with
 * {@code GRAYLIGHT_RECORD_ES_URL} set; {@link ElasticsearchReportSourceTest} replays the recording.
 */
@EnabledIfEnvironmentVariable(named = "GRAYLIGHT_RECORD_ES_URL", matches = ".+")
class ElasticsearchRecordingTest {

    static final int PAGE_SIZE = 25;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void record() throws Exception {
        URI base = URI.create(System.getenv("GRAYLIGHT_RECORD_ES_URL").replaceAll("/?$", "/"));
        try (var templates = Files.list(Path.of(System.getenv("GRAYLIGHT_ES_TEMPLATES")))) {
            for (Path template : templates.filter(p -> p.toString().endsWith(".json")).toList()) {
                String name = template.getFileName().toString().replace(".json", "");
                call("PUT", base.resolve("_index_template/" + name), Files.readString(template));
            }
        }
        call("DELETE", base.resolve("graylight-*?ignore_unavailable=true&allow_no_indices=true"), null);
        StringBuilder bulk = new StringBuilder();
        List<CohortMetrics> metrics = new ArrayList<>(EsSamples.metrics("chat", 40));
        metrics.addAll(EsSamples.metrics("search", 4));
        for (CohortMetrics m : metrics) {
            index(bulk, "graylight-metrics", m.windowStart(), m.release() + "|" + m.cohort() + "|" + m.windowStart(), Json.MAPPER.valueToTree(m));
        }
        List<DecisionRecord> decisions = new ArrayList<>(EsSamples.decisions("chat"));
        decisions.addAll(EsSamples.decisions("search").subList(0, 1));
        for (DecisionRecord d : decisions) {
            index(bulk, "graylight-decisions", d.eventTime(), d.release() + "|" + d.seq(), Json.MAPPER.valueToTree(d));
        }
        for (Alert a : EsSamples.alerts("chat")) {
            index(bulk, a.source() == AlertSource.CEP ? "graylight-alerts" : "graylight-anomalies", a.eventTime(), a.alertId(),
                    Json.MAPPER.valueToTree(a));
        }
        String answer = call("POST", base.resolve("_bulk?refresh=true"), bulk.toString());
        assertThat(Json.MAPPER.readTree(answer).get("errors").asBoolean()).as(answer).isFalse();

        ArrayNode exchanges = Json.MAPPER.createArrayNode();
        ElasticsearchReportSource source = new ElasticsearchReportSource(base, PAGE_SIZE,
                ElasticsearchExchanges.recording(ElasticsearchReportSource.httpTransport(), base, exchanges));
        ReportData data = source.load("chat");
        source.releases();
        assertThat(data.metrics()).hasSize(80);

        ObjectNode recording = Json.MAPPER.createObjectNode();
        recording.put("recordedFrom", "Elasticsearch " + Json.MAPPER.readTree(call("GET", base, null)).path("version").path("number").asText()
                + " with the indexing job's index templates, " + Instant.now());
        recording.put("pageSize", PAGE_SIZE);
        recording.set("exchanges", exchanges);
        Path out = Path.of("src", "test", "resources", "report", "es-exchanges.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(recording) + "\n");
    }

    private static void index(StringBuilder bulk, String family, Instant eventTime, String id, ObjectNode document) {
        document.put("@timestamp", eventTime.toString());
        bulk.append(Json.toString(Json.MAPPER.createObjectNode().set("index", Json.MAPPER.createObjectNode()
                .put("_index", family + "-" + DAY.format(eventTime)).put("_id", id)))).append('\n');
        bulk.append(Json.toString(document)).append('\n');
    }

    private String call(String method, URI uri, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", body != null && method.equals("POST")
                        && uri.getPath().endsWith("_bulk") ? "application/x-ndjson" : "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + uri + ": " + response.body()).isLessThan(300);
        return response.body();
    }
}
