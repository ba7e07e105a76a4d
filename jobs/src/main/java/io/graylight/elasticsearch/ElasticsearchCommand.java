package io.graylight.elasticsearch;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code graylight elasticsearch start|stop|status} (also {@code scripts/elasticsearch}): a local
 * single-node Elasticsearch for the demo and for trying the dashboards, run by
 * {@link ElasticsearchLauncher} from the distribution the build unpacked.
 */
@Command(name = "elasticsearch", mixinStandardHelpOptions = true,
        description = {"Start, stop or show a local single-node Elasticsearch " + ElasticsearchLauncher.VERSION
                + " (security off, 127.0.0.1 only, a free port).",
                "Its data, logs and port live in --dir (default target/elasticsearch)."})
public final class ElasticsearchCommand implements Callable<Integer> {

    enum Action { start, stop, status }

    @Parameters(index = "0", paramLabel = "start|stop|status", description = "What to do.")
    Action action;

    @Option(names = "--dir", paramLabel = "DIR", description = "Instance directory (default target/elasticsearch).")
    Path dir;

    @Option(names = "--timeout", defaultValue = "180", paramLabel = "SECONDS",
            description = "How long start waits for a healthy node (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        Path instance = dir != null ? dir : DemoElasticsearch.scriptInstance();
        var running = ElasticsearchLauncher.running(instance);
        switch (action) {
            case start -> {
                if (running.isPresent()) {
                    System.out.println("Elasticsearch already runs at " + running.get().url() + " (pid " + running.get().pid() + ")");
                    return 0;
                }
                try {
                    var node = ElasticsearchLauncher.start(instance, Duration.ofSeconds(timeoutSeconds));
                    System.out.println("Elasticsearch " + ElasticsearchLauncher.VERSION + " runs at " + node.url()
                            + " (pid " + node.pid() + ", data and logs in " + instance + ")");
                    System.out.println("  scripts/graylight demo --elasticsearch " + node.url());
                    return 0;
                } catch (IllegalStateException e) {
                    System.err.println("elasticsearch: " + e.getMessage());
                    return 1;
                }
            }
            case stop -> {
                if (running.isEmpty()) {
                    System.out.println("Elasticsearch is not running (" + instance + ")");
                    return 0;
                }
                running.get().stop();
                System.out.println("Elasticsearch stopped (pid " + running.get().pid() + ")");
                return 0;
            }
            default -> {
                if (running.isEmpty()) {
                    System.out.println("Elasticsearch is not running (" + instance + ")");
                    return 3;
                }
                URI url = running.get().url();
                String health;
                try {
                    health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.resolve("/_cluster/health"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
                } catch (java.io.IOException e) {
                    health = "not answering: " + e.getMessage();
                }
                System.out.println("Elasticsearch runs at " + url + " (pid " + running.get().pid() + "): " + health);
                return 0;
            }
        }
    }
}
