package io.graylight.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.json.Json;
import io.graylight.contracts.metrics.CohortMetrics;
import io.graylight.elasticsearch.EsDocument;
import io.graylight.elasticsearch.EsIndices;
import io.graylight.elasticsearch.IndexTemplates;
import io.graylight.testing.ElasticsearchExtension;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The report's Elasticsearch source against a real Elasticsearch 7.17 with the indexing job's index
 * templates, holding {@link EsSamples} indexed the way the indexing job does ({@link EsDocument}:
 * daily index by event time, deterministic ids, {@code @timestamp}): what it reads back, across
 * daily indices and several pages, is exactly what was indexed for the release.
 */
class ElasticsearchReportSourceTest {

    @RegisterExtension
    static final ElasticsearchExtension ES = new ElasticsearchExtension();

    /** Small pages, so reading a release takes several. */
    static final int PAGE_SIZE = 25;

    @BeforeAll
    static void indexSamples() throws Exception {
        IndexTemplates.installMissing(ES.url());
        List<EsDocument> documents = new ArrayList<>();
        EsSamples.metrics("chat", 40).forEach(m -> documents.add(EsDocument.of(m)));
        EsSamples.metrics("search", 4).forEach(m -> documents.add(EsDocument.of(m)));
        EsSamples.decisions("chat").forEach(d -> documents.add(EsDocument.of(d)));
        documents.add(EsDocument.of(EsSamples.decisions("search").get(0)));
        EsSamples.alerts("chat").forEach(a -> documents.add(EsDocument.of(a)));
        // a decision of release "broken" that is not a DecisionRecord (an action no version knows)
        ObjectNode broken = Json.MAPPER.valueToTree(EsSamples.decisions("broken").get(0));
        broken.put("action", "EXPLODE");
        documents.add(new EsDocument(EsIndices.Family.DECISIONS.index(EsSamples.START), "broken|0", Json.toString(broken)));
        documents.add(EsDocument.of(EsSamples.decisions("broken").get(1)));
        ES.bulk(documents);
    }

    @Test
    void readsEveryDocumentOfTheReleaseAcrossPagesAndDailyIndices() throws Exception {
        ElasticsearchReportSource source = new ElasticsearchReportSource(ES.url(), PAGE_SIZE);

        ReportData data = source.load("chat");

        assertThat(data.decisions()).containsExactlyElementsOf(EsSamples.decisions("chat"));
        assertThat(data.metrics()).hasSizeGreaterThan(3 * PAGE_SIZE).containsExactlyElementsOf(EsSamples.metrics("chat", 40).stream()
                .sorted(Comparator.comparing(CohortMetrics::windowStart).thenComparing(CohortMetrics::cohort)).toList());
        assertThat(data.alerts()).containsExactlyElementsOf(EsSamples.alerts("chat"));
        assertThat(data.metrics()).extracting(m -> m.windowStart().toString().substring(0, 10)).contains("2026-11-30", "2026-12-01");
        assertThat(source.releases()).containsExactly("broken", "chat", "search");
        assertThat(source.warnings()).isEmpty();
    }

    @Test
    void theReportFromElasticsearchShowsTheRollback() throws Exception {
        ElasticsearchReportSource source = new ElasticsearchReportSource(ES.url(), PAGE_SIZE);
        String html = HtmlReport.render(source.load("chat"), source.describe(), Instant.parse("2026-12-01T12:00:00Z"));

        assertThat(html).contains("ROLLED BACK").contains("10% → 25% → 0%")
                .contains("error_rate &lt;b&gt;7.9%&lt;/b&gt; vs 0.4%")   // escaped, not markup
                .contains("latency pattern unlike baseline").contains("Elasticsearch at " + ES.url());
    }

    @Test
    void aDocumentThatIsNotTheRecordIsSkippedWithAWarning() throws Exception {
        ElasticsearchReportSource source = new ElasticsearchReportSource(ES.url(), PAGE_SIZE);

        ReportData data = source.load("broken");

        assertThat(data.decisions()).extracting(DecisionRecord::seq).containsExactly(2L);
        assertThat(source.warnings()).singleElement().asString()
                .startsWith("skipped " + EsIndices.Family.DECISIONS.index(EsSamples.START) + "/broken|0: not a DecisionRecord");
    }

    @Test
    void anErrorAnswerNamesTheSearchAndTheReason() throws Exception {
        // a read block makes the node refuse every search of the index, as a real misconfiguration would
        String index = EsIndices.Family.DECISIONS.index(EsSamples.START);
        ES.call("PUT", "/" + index + "/_settings", "{\"index.blocks.read\":true}");
        try {
            ElasticsearchReportSource source = new ElasticsearchReportSource(ES.url(), PAGE_SIZE);

            assertThatThrownBy(() -> source.load("chat")).isInstanceOf(ReportException.class)
                    .hasMessageStartingWith("Elasticsearch search of graylight-decisions-* failed with 403: ")
                    .hasMessageContaining("blocked");
        } finally {
            ES.call("PUT", "/" + index + "/_settings", "{\"index.blocks.read\":null}");
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
}
