package io.graylight.report;

import io.graylight.cli.DurationConverter;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code graylight report}: one release's rollout as a self-contained HTML page with charts (canary
 * vs baseline over time, the canary share as a step line, decisions marked, rollbacks prominent),
 * the decisions with their reasons and the alerts. Data from Elasticsearch ({@code --from}) or a
 * replay ({@code --replay} decisions plus the {@code --telemetry} they were made from).
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a self-contained HTML report of one release's rollout.",
        footer = {"", "Examples:",
                "  graylight replay --telemetry t.jsonl.gz --plan rollouts/demo.yaml --out decisions.jsonl",
                "  graylight report --release chat --replay decisions.jsonl --telemetry t.jsonl.gz --out report.html",
                "  graylight report --release chat --from http://localhost:9200 --out report.html"})
public final class ReportCommand implements Callable<Integer> {

    @Option(names = "--release", required = true, paramLabel = "R", description = "The release to report on.")
    String release;

    @Option(names = "--from", paramLabel = "ES_URL", description = "Elasticsearch base URL, e.g. http://localhost:9200.")
    String from;

    @Option(names = "--replay", paramLabel = "DECISIONS.jsonl", description = "Decisions written by graylight replay.")
    Path replay;

    @Option(names = "--telemetry", paramLabel = "FILE", description = "With --replay: the telemetry (.jsonl or .jsonl.gz) replayed.")
    Path telemetry;

    @Option(names = "--alerts", paramLabel = "ALERTS.jsonl", description = "With --replay: alert records to list, one JSON per line.")
    Path alerts;

    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "1m", converter = DurationConverter.class,
            description = "With --replay: metric window of the charts (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Option(names = "--out", required = true, paramLabel = "report.html", description = "Where to write the report.")
    Path out;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    private final PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        ReportSource source;
        try {
            source = source();
        } catch (IllegalArgumentException e) {
            err.println("report: " + e.getMessage());
            return 2;
        }
        try {
            ReportData data = source.load(release);
            source.warnings().forEach(w -> err.println("report: warning: " + w));
            if (data.isEmpty()) {
                Set<String> known = source.releases();
                err.println("report: no decisions, metrics or alerts for release '" + release + "' in the " + source.describe()
                        + (known.isEmpty() ? "" : " (releases there: " + String.join(", ", known) + ")"));
                return 2;
            }
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, HtmlReport.render(data, source.describe(), Instant.now()), StandardCharsets.UTF_8);
            ReportSummary summary = ReportSummary.of(data);
            err.printf("report: %s %s over %s, stages %s, %d decisions, %d metric windows, %d alerts -> %s%n",
                    release, summary.outcome(), ReportSummary.format(summary.duration()), summary.stagesText(),
                    data.decisions().size(), data.metrics().size(), data.alerts().size(), out);
            return 0;
        } catch (ReportException e) {
            err.println("report: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("report: " + e);
            return 2;
        }
    }

    private ReportSource source() {
        if ((from == null) == (replay == null)) {
            throw new IllegalArgumentException("give exactly one of --from ES_URL and --replay DECISIONS.jsonl --telemetry FILE");
        }
        if (from != null) {
            if (telemetry != null || alerts != null) {
                throw new IllegalArgumentException("--telemetry and --alerts go with --replay, not --from");
            }
            return new ElasticsearchReportSource(elasticsearchUri(from));
        }
        if (telemetry == null) {
            throw new IllegalArgumentException("--replay needs --telemetry FILE: the telemetry the decisions were made from");
        }
        if (window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("--window must be positive");
        }
        return new ReplayReportSource(replay, telemetry, alerts, window, !quiet);
    }

    static URI elasticsearchUri(String text) {
        try {
            URI uri = new URI(text.endsWith("/") ? text : text + "/");
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("--from must be an http(s) URL such as http://localhost:9200, got '" + text + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--from is not a URL: " + e.getMessage());
        }
    }
}
