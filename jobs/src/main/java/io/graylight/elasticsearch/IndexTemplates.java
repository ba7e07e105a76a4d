package io.graylight.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import io.graylight.contracts.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The index templates of the {@link EsIndices} families (explicit mappings: keyword ids, dates,
 * numeric metrics; one shard, no replica), from {@code /elasticsearch/templates/NAME.json} on the
 * classpath. {@link #installMissing} puts a template that is missing or older than ours
 * ({@code version}) and leaves a current one alone, so every start of the indexing job may call it.
 */
public final class IndexTemplates {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private IndexTemplates() {}

    /** The template body of a family, as shipped. */
    public static String body(EsIndices.Family family) {
        String resource = "/elasticsearch/templates/" + family.templateName() + ".json";
        try (InputStream in = IndexTemplates.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the names of the templates it put (missing or outdated ones) */
    public static List<String> installMissing(URI elasticsearch) throws IOException, InterruptedException {
        List<String> installed = new ArrayList<>();
        for (EsIndices.Family family : EsIndices.all()) {
            String body = body(family);
            int ours = Json.MAPPER.readTree(body).path("version").asInt(0);
            URI uri = elasticsearch.resolve("/_index_template/" + family.templateName());
            HttpResponse<String> existing = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (existing.statusCode() == 200 && installedVersion(existing.body()) >= ours) {
                continue;
            }
            if (existing.statusCode() != 200 && existing.statusCode() != 404) {
                throw new IOException("GET " + uri + " answered " + existing.statusCode() + ": " + existing.body());
            }
            HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (put.statusCode() != 200) {
                throw new IOException("PUT " + uri + " answered " + put.statusCode() + ": " + put.body());
            }
            installed.add(family.templateName());
        }
        return installed;
    }

    private static int installedVersion(String response) throws IOException {
        JsonNode templates = Json.MAPPER.readTree(response).path("index_templates");
        return templates.isArray() && templates.size() > 0
                ? templates.get(0).path("index_template").path("version").asInt(0)
                : 0;
    }
}
