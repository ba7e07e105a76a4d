package io.graylight.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.json.Json;
import io.graylight.contracts.metrics.CohortMetrics;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Instant;
import java.util.Comparator;
import org.junit.jupiter.api.Test;

/**
 * The report's Elasticsearch source against exchanges recorded from a real Elasticsearch 7.17.29
 * with the indexing job's index templates ({@code es-exchanges.json}, made by
 * {@link ElasticsearchRecordingTest}): its queries are the recorded ones, and what it reads back,
 * across daily indices and several pages, is exactly what was indexed for the release.
 */
class ElasticsearchReportSourceTest {

    static JsonNode recording() throws Exception {
        try (InputStream in = ElasticsearchReportSourceTest.class.getResourceAsStream("/report/es-exchanges.json")) {
            return Json.MAPPER.readTree(in);
        }
    }

    @Test
    void readsEveryDocumentOfTheReleaseAcrossPagesAndDailyIndices() throws Exception {
        JsonNode recording = recording();
        try (ElasticsearchExchanges es = new ElasticsearchExchanges((ArrayNode) recording.get("exchanges"))) {
            ElasticsearchReportSource source = new ElasticsearchReportSource(es.url(), recording.get("pageSize").asInt());

            ReportData data = source.load("chat");

            assertThat(es.unmatched).isEmpty();
            assertThat(es.served.stream().filter(p -> p.startsWith("/graylight-metrics-*/")).count()).as("metric pages").isGreaterThan(3);
            assertThat(data.decisions()).containsExactlyElementsOf(EsSamples.decisions("chat"));
            assertThat(data.metrics()).containsExactlyElementsOf(EsSamples.metrics("chat", 40).stream()
                    .sorted(Comparator.comparing(CohortMetrics::windowStart).thenComparing(CohortMetrics::cohort)).toList());
            assertThat(data.alerts()).containsExactlyElementsOf(EsSamples.alerts("chat"));
            assertThat(data.metrics()).extracting(m -> m.windowStart().toString().substring(0, 10)).contains("2026-11-30", "2026-12-01");
            assertThat(source.releases()).containsExactly("chat", "search");
            assertThat(source.warnings()).isEmpty();
        }
    }

    @Test
    void theReportFromElasticsearchShowsTheRollback() throws Exception {
        JsonNode recording = recording();
        try (ElasticsearchExchanges es = new ElasticsearchExchanges((ArrayNode) recording.get("exchanges"))) {
            ElasticsearchReportSource source = new ElasticsearchReportSource(es.url(), recording.get("pageSize").asInt());
            String html = HtmlReport.render(source.load("chat"), source.describe(), Instant.parse("2026-12-01T12:00:00Z"));

            assertThat(html).contains("ROLLED BACK").contains("10% → 25% → 0%")
                    .contains("error_rate &lt;b&gt;7.9%&lt;/b&gt; vs 0.4%")   // escaped, not markup
                    .contains("latency pattern unlike baseline").contains("Elasticsearch at " + es.url());
        }
    }

    @Test
    void anUnreachableClusterIsAClearError() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ElasticsearchReportSource source = new ElasticsearchReportSource(URI.create("http://127.0.0.1:" + port + "/"));

        assertThatThrownBy(() -> source.load("chat")).isInstanceOf(ReportException.class)
                .hasMessage("cannot reach Elasticsearch at http://127.0.0.1:" + port + "/: connection refused");
    }

    @Test
    void anErrorAnswerNamesTheSearchAndTheReason() throws Exception {
        try (ElasticsearchExchanges es = new ElasticsearchExchanges(Json.MAPPER.createArrayNode())) {
            ElasticsearchReportSource source = new ElasticsearchReportSource(es.url(), 10);

            assertThatThrownBy(() -> source.load("chat")).isInstanceOf(ReportException.class)
                    .hasMessage("Elasticsearch search of graylight-decisions-* failed with 400: not in the recording");
        }
    }

    @Test
    void aDocumentThatIsNotTheRecordIsSkippedWithAWarning() throws Exception {
        ArrayNode exchanges = (ArrayNode) recording().get("exchanges").deepCopy();
        JsonNode decisionsPage = exchanges.get(0);
        assertThat(decisionsPage.get("path").asText()).startsWith("/graylight-decisions-*/_search");
        ((com.fasterxml.jackson.databind.node.ObjectNode) decisionsPage.get("response").get("hits").get("hits").get(0).get("_source"))
                .put("eventTime", "yesterday");
        try (ElasticsearchExchanges es = new ElasticsearchExchanges(exchanges)) {
            ElasticsearchReportSource source = new ElasticsearchReportSource(es.url(), recording().get("pageSize").asInt());

            ReportData data = source.load("chat");

            assertThat(data.decisions()).extracting(DecisionRecord::seq).containsExactly(2L, 3L);
            assertThat(source.warnings()).singleElement().asString().startsWith("skipped graylight-decisions-2026.11.30/chat|1: not a DecisionRecord");
            assertThat(data.alerts()).extracting(Alert::alertId).containsExactly("chat-cep-1", "chat-anomaly-1");
        }
    }
}
