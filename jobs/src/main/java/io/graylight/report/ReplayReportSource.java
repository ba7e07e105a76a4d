package io.graylight.report;

import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.json.Json;
import io.graylight.contracts.metrics.CohortMetrics;
import io.graylight.metrics.TelemetryMetricsJob;
import io.graylight.options.JobOptions;
import io.graylight.replay.ReplayProgress;
import io.graylight.telemetry.TelemetrySources;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * A report from a replay: decisions from the JSON Lines file {@code graylight replay} wrote, metric
 * windows computed from the telemetry file by the metrics job itself (same parsing, de-duplication,
 * dead-lettering and windows as in production, on a local MiniCluster) and, optionally, alerts from a
 * JSON Lines file of alert records.
 */
public final class ReplayReportSource implements ReportSource {

    private final Path decisionsFile;
    private final Path telemetryFile;
    private final Path alertsFile;
    private final Duration window;
    private final boolean progress;
    private List<DecisionRecord> decisions;
    private List<CohortMetrics> metrics;
    private List<Alert> alerts;

    /**
     * @param alertsFile alert records, one JSON per line, or null for none
     * @param window the metric window; longer windows give smoother lines for a small canary
     * @param progress show a progress bar while the telemetry is read
     */
    public ReplayReportSource(Path decisionsFile, Path telemetryFile, Path alertsFile, Duration window, boolean progress) {
        this.decisionsFile = decisionsFile;
        this.telemetryFile = telemetryFile;
        this.alertsFile = alertsFile;
        this.window = window;
        this.progress = progress;
    }

    @Override
    public ReportData load(String release) throws IOException, ReportException {
        loadAll();
        return new ReportData(release, decisions, metrics, alerts);
    }

    @Override
    public Set<String> releases() throws IOException, ReportException {
        loadAll();
        Set<String> releases = new TreeSet<>();
        decisions.forEach(d -> releases.add(d.release()));
        metrics.forEach(m -> releases.add(m.release()));
        return releases;
    }

    @Override
    public String describe() {
        return "replay of " + telemetryFile.getFileName() + " with decisions from " + decisionsFile.getFileName();
    }

    private void loadAll() throws IOException, ReportException {
        if (metrics != null) {
            return;
        }
        for (Path file : alertsFile == null ? List.of(decisionsFile, telemetryFile) : List.of(decisionsFile, telemetryFile, alertsFile)) {
            if (!Files.isRegularFile(file)) {
                throw new ReportException("no such file: " + file);
            }
        }
        decisions = readJsonLines(decisionsFile, DecisionRecord.class);
        alerts = alertsFile == null ? List.of() : readJsonLines(alertsFile, Alert.class);
        metrics = computeMetrics(telemetryFile, window, progress);
    }

    /** Runs the metrics job over the file at parallelism 1 and collects every window it emits. */
    static List<CohortMetrics> computeMetrics(Path telemetry, Duration window, boolean showProgress) throws IOException, ReportException {
        try {
            return ReplayProgress.collect(telemetry, "metrics", !showProgress, 1, "graylight-report-metrics",
                    (env, progressId) -> new TelemetryMetricsJob(TelemetrySources.files(List.of(telemetry), progressId),
                            new DiscardingSink<>(), new DiscardingSink<>(), JobOptions.defaults().withWindow(window, window))
                            .build(env));
        } catch (Exception e) {
            throw new ReportException("cannot compute metrics from " + telemetry + ": " + e.getMessage(), e);
        }
    }

    /** Reads one record per non-blank line; a line that is not such a record is refused with its number. */
    static <T> List<T> readJsonLines(Path file, Class<T> type) throws IOException, ReportException {
        List<T> records = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    records.add(Json.MAPPER.readValue(line, type));
                } catch (IOException e) {
                    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
                    throw new ReportException(file + ":" + number + ": not a " + type.getSimpleName() + " record: " + reason);
                }
            }
        }
        return records;
    }
}
