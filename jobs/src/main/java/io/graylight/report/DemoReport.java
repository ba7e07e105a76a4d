package io.graylight.report;

import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.metrics.CohortMetrics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

/** The demo's hook: a report per release from the decisions and metric windows the demo saw. */
public final class DemoReport {

    private DemoReport() {}

    /**
     * Writes {@code target/graylight-demo-report-RELEASE.html} (under {@code graylight.home}, set by
     * scripts/graylight, else the working directory) per release; a failure is a line, never the demo's end.
     */
    public static void write(List<DecisionRecord> decisions, List<CohortMetrics> metrics, PrintStream out) {
        try {
            TreeSet<String> releases = new TreeSet<>();
            decisions.forEach(d -> releases.add(d.release()));
            for (String release : releases) {
                Path file = Path.of(System.getProperty("graylight.home", "."), "target", "graylight-demo-report-" + release.replaceAll("[^A-Za-z0-9_.-]", "_") + ".html");
                Files.createDirectories(file.getParent());
                Files.writeString(file, HtmlReport.render(new ReportData(release, decisions, metrics, List.of()),
                        "graylight demo", Instant.now()), StandardCharsets.UTF_8);
                out.println("Report: " + file.toAbsolutePath().normalize());
            }
        } catch (Exception e) {
            out.println("No report: " + e);
        }
    }
}
