package io.graylight.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.cli.GraylightCli;
import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.alert.AlertScope;
import io.graylight.contracts.alert.AlertSource;
import io.graylight.contracts.alert.Effect;
import io.graylight.contracts.alert.MatchedEvents;
import io.graylight.contracts.alert.Severity;
import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.json.Json;
import io.graylight.simulator.Fault;
import io.graylight.simulator.JsonLinesSink;
import io.graylight.simulator.SimulatedRecord;
import io.graylight.simulator.SimulationConfig;
import io.graylight.simulator.TrafficSimulator;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a replayed rollout that is rolled back, as a user makes it (simulate, replay, report
 * through the CLI), opened in headless Chromium: the screenshot is not blank and every chart drew.
 */
class ReportScreenshotTest {

    static final List<String> CHARTS = List.of("stage", "errorRate", "latencyP95", "latencyP99", "ttftP95",
            "negativeFeedbackRate", "costPerRequest", "requests");

    @TempDir
    static Path dir;

    static Path report;
    static List<DecisionRecord> decisions;
    static List<Alert> alerts;

    @BeforeAll
    static void replayARegressionAndReportIt() throws Exception {
        Path telemetry = dir.resolve("telemetry.jsonl.gz");
        SimulationConfig config = SimulationConfig.builder().seed(4).canaryPercent(25).rateFactor(10)
                .duration(Duration.ofMinutes(15)).fault(Fault.parse("error_rate=0.12@6m")).build();
        try (JsonLinesSink sink = JsonLinesSink.toFile(telemetry)) {
            for (SimulatedRecord record : new TrafficSimulator(config)) {
                sink.write(record);
            }
        }
        // The demo plan with longer stages, so that the canary is promoted once before the fault starts.
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, Files.readString(Path.of("..", "rollouts", "demo.yaml"))
                .replace("minStageDuration: 30s", "minStageDuration: 4m"));
        Path decisionsFile = dir.resolve("decisions.jsonl");
        assertThat(GraylightCli.commandLine().execute("replay", "--quiet", "--telemetry", telemetry.toString(),
                "--plan", plan.toString(), "--out", decisionsFile.toString())).isZero();
        decisions = ReplayReportSource.readJsonLines(decisionsFile, DecisionRecord.class);

        // two alerts shortly before the rollback, one of them from a dry-run rule
        Instant before = decisions.get(decisions.size() - 1).eventTime().minusSeconds(40);
        alerts = List.of(
                new Alert("chat-cep-1", AlertSource.CEP, "error-burst", Severity.CRITICAL, Effect.ROLLBACK, false, "chat",
                        AlertScope.CANARY, before, before.plusMillis(300), null, "canary error rate 12% over 30 s",
                        new MatchedEvents(3, before.minusSeconds(30), before, List.of("e1", "e2"), Map.of("errorRate", 0.12)), null),
                new Alert("chat-cep-2", AlertSource.CEP, "ttft-regression", Severity.WARNING, Effect.HOLD, true, "chat",
                        AlertScope.CANARY, before.plusSeconds(10), before.plusSeconds(11), null, "canary TTFT p95 up 40%",
                        new MatchedEvents(2, before, before.plusSeconds(10), List.of(), Map.of()), null));
        Path alertsFile = dir.resolve("alerts.jsonl");
        Files.write(alertsFile, alerts.stream().map(Json::toString).toList());

        report = dir.resolve("out").resolve("report.html");
        assertThat(GraylightCli.commandLine().execute("report", "--quiet", "--release", "chat", "--replay", decisionsFile.toString(),
                "--telemetry", telemetry.toString(), "--alerts", alertsFile.toString(), "--window", "30s",
                "--out", report.toString())).isZero();
    }

    @Test
    void theReplayedRolloutWasPromotedThenRolledBack() {
        assertThat(decisions).extracting(DecisionRecord::action).contains(Action.START, Action.PROMOTE).endsWith(Action.ROLLBACK);
    }

    @Test
    void theReportIsSelfContainedAndNamesTheRollbackAndItsReason() throws Exception {
        String html = Files.readString(report);
        DecisionRecord rollback = decisions.get(decisions.size() - 1);

        assertThat(html).doesNotContainPattern("(src|href)\\s*=\\s*[\"']?(https?:)?//");
        assertThat(html).contains("Chart.js v4.6.1").contains("ROLLED BACK")
                .contains(HtmlReport.escape(rollback.reason()));
        assertThat(Pattern.compile("<tr class=\"rollback\">").matcher(html).results().count()).isEqualTo(1);
        assertThat(Pattern.compile("<tr class=\"[a-z]+\"><td>\\d+</td>").matcher(html).results().count()).isEqualTo(decisions.size());
    }

    @Test
    void everyChartDrawsInHeadlessChromium() throws Exception {
        String dom = HeadlessChromium.find(dir).dumpDom(report);

        Map<String, Map<String, String>> charts = chartContainers(dom);
        assertThat(charts.keySet()).containsExactlyInAnyOrderElementsOf(CHARTS);
        charts.forEach((chart, attributes) -> {
            assertThat(attributes).as(chart).containsEntry("data-rendered", "true");
            assertThat(Long.parseLong(attributes.get("data-ink"))).as(chart + " painted pixels").isGreaterThan(2_000);
        });
        assertThat(Integer.parseInt(charts.get("stage").get("data-points"))).as("decisions and alerts on the stage chart")
                .isEqualTo(decisions.size() + alerts.size());
        // 15 minutes in 30 s windows, both cohorts: every window has requests and so an error rate
        assertThat(Integer.parseInt(charts.get("errorRate").get("data-points"))).isEqualTo(2 * 30);
        assertThat(dom).containsPattern("<body[^>]*data-rendered=\"" + CHARTS.size() + "\"");
    }

    @Test
    void theScreenshotIsNotBlankAndShowsTheRollbackInRed() throws Exception {
        Path png = dir.resolve("report.png");
        HeadlessChromium.find(dir).screenshot(report, png, 1400, 2000);

        // kept for people to look at (CI artifact); the assertions read the original
        Files.copy(png, Path.of("target", "report-screenshot.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(report, Path.of("target", "report-example.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1400);
        Set<Integer> colours = new HashSet<>();
        double sum = 0;
        double sumSquares = 0;
        long red = 0;
        long orange = 0;
        long blue = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                int r = rgb >> 16 & 0xFF;
                int g = rgb >> 8 & 0xFF;
                int b = rgb & 0xFF;
                double luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
                sum += luminance;
                sumSquares += luminance * luminance;
                red += near(r, g, b, 0xdc, 0x26, 0x26) ? 1 : 0;      // rollback marker and outcome badge
                orange += near(r, g, b, 0xea, 0x58, 0x0c) ? 1 : 0;   // canary lines
                blue += near(r, g, b, 0x25, 0x63, 0xeb) ? 1 : 0;     // baseline lines
            }
        }
        long pixels = (long) image.getWidth() * image.getHeight();
        double variance = sumSquares / pixels - (sum / pixels) * (sum / pixels);
        assertThat(variance).as("luminance variance").isGreaterThan(500);
        assertThat(colours).as("distinct colours").hasSizeGreaterThan(200);
        assertThat(red).as("rollback-red pixels").isGreaterThan(500);
        assertThat(orange).as("canary-orange pixels").isGreaterThan(1_000);
        assertThat(blue).as("baseline-blue pixels").isGreaterThan(1_000);
    }

    private static boolean near(int r, int g, int b, int r0, int g0, int b0) {
        return Math.abs(r - r0) < 24 && Math.abs(g - g0) < 24 && Math.abs(b - b0) < 24;
    }

    /** The attributes of each {@code data-chart} container in the dumped DOM. */
    static Map<String, Map<String, String>> chartContainers(String dom) {
        Map<String, Map<String, String>> charts = new HashMap<>();
        Matcher tag = Pattern.compile("<div\\b[^>]*\\bdata-chart=\"(\\w+)\"[^>]*>").matcher(dom);
        while (tag.find()) {
            Map<String, String> attributes = new HashMap<>();
            Matcher attribute = Pattern.compile("([\\w-]+)=\"([^\"]*)\"").matcher(tag.group());
            while (attribute.find()) {
                attributes.put(attribute.group(1), attribute.group(2));
            }
            charts.put(tag.group(1), attributes);
        }
        return charts;
    }
}
