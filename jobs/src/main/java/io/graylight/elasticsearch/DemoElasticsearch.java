package io.graylight.elasticsearch;

import io.graylight.embedded.EmbeddedFlink;
import io.graylight.options.JobOptions;
import io.graylight.contracts.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.JobID;

/**
 * The demo's Elasticsearch part ({@code graylight demo --elasticsearch [URL]}): the indexing job
 * on the demo's MiniCluster, writing to the given Elasticsearch, or with no URL to the node of
 * {@code scripts/elasticsearch start} if one runs, else to a node it starts (and stops at the end).
 */
public final class DemoElasticsearch implements AutoCloseable {

    /** The option's value when {@code --elasticsearch} is given without a URL. */
    public static final String LOCAL = "local";

    private final EmbeddedFlink flink;
    private final JobID job;
    private final ElasticsearchLauncher.Node startedHere;
    private final PrintStream out;
    private final URI url;

    private DemoElasticsearch(EmbeddedFlink flink, JobID job, ElasticsearchLauncher.Node startedHere, PrintStream out, URI url) {
        this.url = url;
        this.flink = flink;
        this.job = job;
        this.startedHere = startedHere;
        this.out = out;
    }

    /** The instance directory {@code scripts/elasticsearch} uses. */
    public static Path scriptInstance() {
        return Path.of(System.getProperty("graylight.home", "."), "target", "elasticsearch");
    }

    public static DemoElasticsearch start(String urlOrLocal, EmbeddedFlink flink, JobOptions options, PrintStream out)
            throws Exception {
        ElasticsearchLauncher.Node startedHere = null;
        URI url;
        if (urlOrLocal == null || urlOrLocal.isBlank() || LOCAL.equals(urlOrLocal)) {
            var running = ElasticsearchLauncher.running(scriptInstance());
            if (running.isPresent()) {
                url = running.get().url();
            } else {
                out.println("                starting Elasticsearch " + ElasticsearchLauncher.VERSION + " (takes up to a minute)...");
                startedHere = ElasticsearchLauncher.start(Path.of(System.getProperty("graylight.home", "."), "target",
                        "elasticsearch-demo"), ElasticsearchLauncher.DEFAULT_START_TIMEOUT);
                url = startedHere.url();
                ElasticsearchLauncher.Node node = startedHere;
                // a demo stopped by Ctrl-C or a failure must not leave its node running
                Runtime.getRuntime().addShutdownHook(new Thread(node::stop, "demo-elasticsearch-stop"));
            }
        } else {
            url = URI.create(urlOrLocal);
        }
        EsOptions esOptions = EsOptions.fromConfiguration(org.apache.flink.configuration.Configuration.fromMap(
                java.util.Map.of(EsOptions.HOSTS.key(), url.toString())));
        var env = EmbeddedFlink.environment(1, Duration.ofSeconds(1));
        IndexingJob.forKafka(options, esOptions, null, null).build(env);
        JobID job = flink.submit(env, IndexingJob.NAME);
        out.println("                Elasticsearch: " + url + "   indices: " + String.join(", ",
                EsIndices.all().stream().map(EsIndices.Family::pattern).toList()));
        out.println("                  curl -s '" + url + "/" + EsIndices.Family.DECISIONS.pattern()
                + "/_search?sort=@timestamp:desc&size=5&pretty'");
        if (startedHere != null) {
            out.println("                  (this node stops with the demo; to keep it, run scripts/elasticsearch start first)");
        }
        return new DemoElasticsearch(flink, job, startedHere, out, url);
    }

    @Override
    public void close() throws Exception {
        try {
            out.println("Elasticsearch " + url + " holds " + counts());
            flink.cancel(job);
        } finally {
            if (startedHere != null) {
                out.println("Stopping the demo's Elasticsearch.");
                startedHere.stop();
            }
        }
    }

    /** Documents per family so far, e.g. {@code graylight-metrics-*: 96, ...}; informational. */
    private String counts() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        StringBuilder counts = new StringBuilder();
        for (EsIndices.Family family : EsIndices.all()) {
            String pattern = family.pattern() + "/_count?allow_no_indices=true&ignore_unavailable=true";
            try {
                http.send(HttpRequest.newBuilder(url.resolve("/" + family.pattern() + "/_refresh?allow_no_indices=true"))
                        .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.discarding());
                String body = http.send(HttpRequest.newBuilder(url.resolve("/" + pattern)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                counts.append(counts.length() == 0 ? "" : ", ").append(family.pattern()).append(": ")
                        .append(Json.MAPPER.readTree(body).path("count").asLong());
            } catch (IOException e) {
                return "(no answer: " + e + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "(interrupted)";
            }
        }
        return counts.toString();
    }
}
