package io.graylight.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.json.Json;
import io.graylight.contracts.metrics.CohortMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A report from the Elasticsearch indices the sinks write: {@code graylight-decisions-*},
 * {@code graylight-metrics-*} (daily), {@code graylight-alerts-*} and {@code graylight-anomalies-*},
 * each document a contract record's JSON. Plain {@code _search} requests over java.net.http; a
 * release's documents are read in pages sorted by time (or {@code seq}), each page starting at the
 * last sort value seen, so any number of windows is read without deep paging.
 */
public final class ElasticsearchReportSource implements ReportSource {

    static final String DECISIONS = "graylight-decisions-*";
    static final String METRICS = "graylight-metrics-*";
    static final String ALERTS = "graylight-alerts-*,graylight-anomalies-*";
    static final int PAGE_SIZE = 2000;

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final int pageSize;
    private final List<String> warnings = new ArrayList<>();

    /** @param base the cluster URL ending in a slash, e.g. {@code http://localhost:9200/} */
    public ElasticsearchReportSource(URI base) {
        this(base, PAGE_SIZE);
    }

    ElasticsearchReportSource(URI base, int pageSize) {
        this.base = base;
        this.pageSize = pageSize;
    }

    @Override
    public ReportData load(String release) throws IOException, ReportException {
        List<DecisionRecord> decisions = search(DECISIONS, release, "seq", false, DecisionRecord.class);
        List<CohortMetrics> metrics = search(METRICS, release, "windowStart", true, CohortMetrics.class);
        List<Alert> alerts = search(ALERTS, release, "eventTime", true, Alert.class);
        return new ReportData(release, decisions, metrics, alerts);
    }

    @Override
    public Set<String> releases() throws IOException, ReportException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("size", 1000);
        body.putArray("_source").add("release");
        Set<String> releases = new TreeSet<>();
        for (JsonNode hit : post(DECISIONS + "," + METRICS, body).path("hits").path("hits")) {
            String release = hit.path("_source").path("release").asText(null);
            if (release != null) {
                releases.add(release);
            }
        }
        return releases;
    }

    @Override
    public String describe() {
        return "Elasticsearch at " + base;
    }

    @Override
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /**
     * Every document of the release in {@code indices}, in {@code sortField} order. Each page asks
     * for sort values at or after the last one seen; documents already read (same index and id) at
     * that boundary are skipped.
     */
    <T> List<T> search(String indices, String release, String sortField, boolean isDate, Class<T> type)
            throws IOException, ReportException {
        List<T> records = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        JsonNode after = null;
        while (true) {
            JsonNode hits = post(indices, query(release, sortField, isDate, after)).path("hits").path("hits");
            int fresh = 0;
            for (JsonNode hit : hits) {
                if (!seen.add(hit.path("_index").asText() + "/" + hit.path("_id").asText())) {
                    continue;
                }
                fresh++;
                try {
                    records.add(Json.MAPPER.treeToValue(hit.path("_source"), type));
                } catch (IOException | IllegalArgumentException e) {
                    warnings.add("skipped " + hit.path("_index").asText() + "/" + hit.path("_id").asText()
                            + ": not a " + type.getSimpleName() + " (" + e.getMessage().lines().findFirst().orElse("") + ")");
                }
                JsonNode sort = hit.path("sort");
                if (sort.isArray() && sort.size() > 0) {
                    after = sort.get(0);
                }
            }
            if (hits.size() < pageSize) {
                return records;
            }
            if (fresh == 0) {
                throw new ReportException("more than " + pageSize + " documents in " + indices + " share the "
                        + sortField + " value " + after + " for release " + release + "; cannot page past them");
            }
        }
    }

    ObjectNode query(String release, String sortField, boolean isDate, JsonNode after) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("size", pageSize);
        ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
        // The sinks map release as a keyword; a dynamic mapping makes it text with a .keyword sub-field.
        ObjectNode releaseMatch = filter.addObject().putObject("bool");
        ArrayNode should = releaseMatch.putArray("should");
        should.addObject().putObject("term").put("release", release);
        should.addObject().putObject("term").put("release.keyword", release);
        releaseMatch.put("minimum_should_match", 1);
        if (after != null) {
            ObjectNode range = filter.addObject().putObject("range").putObject(sortField);
            range.set("gte", after);
            if (isDate) {
                range.put("format", "epoch_millis");
            }
        }
        body.putArray("sort").addObject().putObject(sortField).put("order", "asc").put("unmapped_type", isDate ? "date" : "long");
        return body;
    }

    private JsonNode post(String indices, ObjectNode body) throws IOException, ReportException {
        URI uri = base.resolve(indices + "/_search?ignore_unavailable=true&allow_no_indices=true");
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.toBytes(body)))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.net.ConnectException e) {
            throw new ReportException("cannot reach Elasticsearch at " + base + ": connection refused");
        } catch (java.net.http.HttpTimeoutException e) {
            throw new ReportException("Elasticsearch at " + base + " did not answer in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new ReportException("Elasticsearch at " + base + " answered " + response.statusCode() + " with something that is not JSON");
        }
        if (response.statusCode() / 100 != 2) {
            JsonNode error = json.path("error");
            String reason = error.path("root_cause").path(0).path("reason").asText(error.path("reason").asText(error.toString()));
            throw new ReportException("Elasticsearch search of " + indices + " failed with " + response.statusCode() + ": " + reason);
        }
        return json;
    }
}
