package io.graylight.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.graylight.contracts.json.Json;
import io.graylight.elasticsearch.ElasticsearchLauncher;
import io.graylight.elasticsearch.EsDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Elasticsearch node per test class ({@code @RegisterExtension static}), started by
 * {@link ElasticsearchLauncher} in a temporary directory and stopped after the class, plus the few
 * REST calls tests need.
 */
public final class ElasticsearchExtension implements BeforeAllCallback, AfterAllCallback {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ElasticsearchLauncher.Node node;
    private Path instance;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        instance = Files.createTempDirectory("graylight-es-test");
        node = ElasticsearchLauncher.start(instance, ElasticsearchLauncher.DEFAULT_START_TIMEOUT);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (node != null) {
            node.stop();
        }
        if (instance != null) {
            try (var files = Files.walk(instance)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public URI url() {
        return node.url();
    }

    public ElasticsearchLauncher.Node node() {
        return node;
    }

    /** The parsed answer of a GET or of a POST with a JSON body (null body: GET). */
    public JsonNode call(String method, String path, String body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(node.url().resolve(path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Documents in the indices matching {@code pattern} (refreshed first, so what was indexed is counted). */
    public long count(String pattern, String query) {
        call("POST", "/" + pattern + "/_refresh?allow_no_indices=true&ignore_unavailable=true", null);
        String body = query == null ? "{\"query\":{\"match_all\":{}}}" : "{\"query\":" + query + "}";
        return call("POST", "/" + pattern + "/_count?allow_no_indices=true&ignore_unavailable=true", body).path("count").asLong();
    }

    /** The sum of a numeric field over the indices matching {@code pattern} (refreshed first, like {@link #count}). */
    public double sum(String pattern, String field) {
        call("POST", "/" + pattern + "/_refresh?allow_no_indices=true&ignore_unavailable=true", null);
        String body = "{\"size\":0,\"aggs\":{\"total\":{\"sum\":{\"field\":\"" + field + "\"}}}}";
        return call("POST", "/" + pattern + "/_search?allow_no_indices=true&ignore_unavailable=true", body)
                .path("aggregations").path("total").path("value").asDouble();
    }

    /** Indexes {@code documents} in one bulk request, refreshed, failing on any item's error. */
    public void bulk(List<EsDocument> documents) {
        StringBuilder body = new StringBuilder();
        for (EsDocument d : documents) {
            body.append(Json.toString(Json.MAPPER.createObjectNode().set("index", Json.MAPPER.createObjectNode()
                    .put("_index", d.index).put("_id", d.id)))).append('\n').append(d.source).append('\n');
        }
        JsonNode answer = call("POST", "/_bulk?refresh=true", body.toString());
        if (answer.path("errors").asBoolean()) {
            throw new IllegalStateException("bulk indexing failed: " + answer);
        }
    }

    /** Up to {@code size} hits (with {@code _index}, {@code _id}, {@code _source}). */
    public JsonNode hits(String pattern, String query, int size) {
        call("POST", "/" + pattern + "/_refresh?allow_no_indices=true&ignore_unavailable=true", null);
        String body = "{\"size\":" + size + ",\"query\":" + (query == null ? "{\"match_all\":{}}" : query) + "}";
        return call("POST", "/" + pattern + "/_search?allow_no_indices=true&ignore_unavailable=true", body).path("hits").path("hits");
    }
}
