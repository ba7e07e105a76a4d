package io.graylight.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.decision.Evidence;
import io.graylight.contracts.json.Json;
import io.graylight.contracts.metrics.CohortMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a {@link ReportData} as one self-contained HTML file: the header, decision and alert tables
 * are written here (escaped); the charts are drawn in the browser by Chart.js (inlined from the
 * classpath, MIT licence) from the data embedded as JSON, so the file opens without a network.
 */
public final class HtmlReport {

    static final String CHARTJS_VERSION = "4.6.1";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(java.time.ZoneOffset.UTC);

    private HtmlReport() {}

    public static String render(ReportData data, String sourceDescription, Instant generatedAt) {
        ReportSummary summary = ReportSummary.of(data);
        String outcomeClass = summary.outcome().startsWith("ROLLED") ? "rolled-back"
                : summary.outcome().equals("COMPLETED") ? "completed" : "other";
        Map<String, String> values = Map.ofEntries(
                Map.entry("title", escape("Graylight rollout report: " + data.release())),
                Map.entry("release", escape(data.release())),
                Map.entry("outcome", escape(summary.outcome())),
                Map.entry("outcomeClass", outcomeClass),
                Map.entry("source", escape(sourceDescription)),
                Map.entry("generated", TIME.format(generatedAt.truncatedTo(ChronoUnit.SECONDS))),
                Map.entry("start", summary.start() == null ? "–" : TIME.format(summary.start())),
                Map.entry("end", summary.end() == null ? "–" : TIME.format(summary.end())),
                Map.entry("duration", ReportSummary.format(summary.duration())),
                Map.entry("stages", escape(summary.stagesText())),
                Map.entry("requests", String.format(Locale.ROOT, "%,d / %,d", summary.baselineRequests(), summary.canaryRequests())),
                Map.entry("counts", data.decisions().size() + " / " + data.alerts().size()),
                Map.entry("finalReason", summary.finalReason() == null ? ""
                        : "<div class=\"final-reason\">Last decision: " + escape(summary.finalReason()) + "</div>"),
                Map.entry("decisions", decisionsTable(data)),
                Map.entry("alerts", alertsTable(data)),
                Map.entry("chartjsVersion", CHARTJS_VERSION),
                Map.entry("data", scriptSafe(Json.toString(chartData(data)))),
                Map.entry("chartjs", resource("chart.umd.min.js")),
                Map.entry("script", resource("report.js")));
        Matcher m = PLACEHOLDER.matcher(resource("report.html"));
        StringBuilder out = new StringBuilder(400_000);
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("report template names an unknown value: " + m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** What report.js draws: per-cohort series (time in epoch ms), the decisions and the alerts. */
    static ObjectNode chartData(ReportData data) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("release", data.release());
        ObjectNode metrics = root.putObject("metrics");
        ArrayNode baseline = metrics.putArray("baseline");
        ArrayNode canary = metrics.putArray("canary");
        for (CohortMetrics w : data.metrics()) {
            ArrayNode series = "canary".equals(w.cohort()) ? canary : "baseline".equals(w.cohort()) ? baseline : null;
            if (series == null) {
                continue;
            }
            ObjectNode p = series.addObject();
            p.put("t", w.windowStart().toEpochMilli());
            p.put("requests", w.requests());
            if (w.requests() > 0) {
                p.put("errorRate", w.errorRate());
            }
            putNullable(p, "latencyP95", w.latencyP95());
            putNullable(p, "latencyP99", w.latencyP99());
            putNullable(p, "ttftP95", w.ttftP95());
            putNullable(p, "negativeFeedbackRate", w.negativeFeedbackRate());
            putNullable(p, "costPerRequest", w.costPerRequest());
        }
        ArrayNode decisions = root.putArray("decisions");
        for (DecisionRecord d : data.decisions()) {
            decisions.addObject().put("t", d.eventTime().toEpochMilli()).put("seq", d.seq()).put("action", d.action().name())
                    .put("canaryPercent", d.canaryPercent()).put("reason", d.reason());
        }
        ArrayNode alerts = root.putArray("alerts");
        for (Alert a : data.alerts()) {
            alerts.addObject().put("t", a.eventTime().toEpochMilli()).put("rule", a.rule())
                    .put("severity", a.severity().name()).put("effect", a.effect().name()).put("scope", a.scope().name())
                    .put("dryRun", a.dryRun()).put("message", a.message());
        }
        return root;
    }

    private static void putNullable(ObjectNode node, String field, Double value) {
        if (value != null && Double.isFinite(value)) {
            node.put(field, value);
        }
    }

    private static String decisionsTable(ReportData data) {
        if (data.decisions().isEmpty()) {
            return "<p class=\"none\">No decisions.</p>";
        }
        StringBuilder html = new StringBuilder("<table id=\"decisions\"><tr><th>#</th><th>event time</th><th>action</th>"
                + "<th>stage</th><th>canary %</th><th>reason and evidence</th></tr>\n");
        for (DecisionRecord d : data.decisions()) {
            html.append("<tr class=\"").append(d.action().name().toLowerCase(Locale.ROOT)).append("\"><td>").append(d.seq())
                    .append("</td><td>").append(TIME.format(d.eventTime()))
                    .append("</td><td>").append(d.action())
                    .append("</td><td>").append(d.stage())
                    .append("</td><td>").append(escape(ReportSummary.percent(d.canaryPercent())))
                    .append("</td><td>").append(escape(d.reason() == null ? "" : d.reason()));
            if (d.evidence() != null) {
                for (Evidence e : d.evidence()) {
                    html.append("<div class=\"evidence\">").append(escape(String.format(Locale.ROOT,
                            "%s: baseline %.4g, canary %.4g; %s %.4g vs threshold %.4g (n=%d/%d)", e.metric(), e.baseline(),
                            e.canary(), e.statistic(), e.value(), e.threshold(), e.samplesBaseline(), e.samplesCanary())))
                            .append("</div>");
                }
            }
            html.append("</td></tr>\n");
        }
        return html.append("</table>").toString();
    }

    private static String alertsTable(ReportData data) {
        if (data.alerts().isEmpty()) {
            return "<p class=\"none\">No alerts.</p>";
        }
        StringBuilder html = new StringBuilder("<table id=\"alerts\"><tr><th>event time</th><th>severity</th><th>effect</th>"
                + "<th>scope</th><th>source / rule</th><th>message</th></tr>\n");
        for (Alert a : data.alerts()) {
            html.append("<tr class=\"").append(a.severity() == null ? "" : a.severity().name().toLowerCase(Locale.ROOT))
                    .append("\"><td>").append(a.eventTime() == null ? "" : TIME.format(a.eventTime()))
                    .append("</td><td>").append(lower(a.severity()))
                    .append("</td><td>").append(lower(a.effect())).append(a.dryRun() ? " (dry run)" : "")
                    .append("</td><td>").append(lower(a.scope()))
                    .append("</td><td>").append(lower(a.source())).append(" / ").append(escape(String.valueOf(a.rule())))
                    .append("</td><td>").append(escape(String.valueOf(a.message()))).append("</td></tr>\n");
        }
        return html.append("</table>").toString();
    }

    private static String lower(Enum<?> value) {
        return value == null ? "" : value.name().toLowerCase(Locale.ROOT);
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** JSON inside a script element: a {@code </script>} or {@code <!--} in a reason must not end or comment it. */
    static String scriptSafe(String json) {
        return json.replace("<", "\\u003c");
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream("/report/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource /report/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
