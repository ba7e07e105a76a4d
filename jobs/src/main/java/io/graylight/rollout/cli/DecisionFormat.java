package io.graylight.rollout.cli;

import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.decision.Evidence;
import io.graylight.contracts.decision.Strategy;
import io.graylight.rollout.plan.GuardMetric;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Decision records for people: one line per decision, evidence indented below, and the status
 * view. ASCII only, so that it reads the same in any terminal and log.
 */
final class DecisionFormat {

    static final String INDENT = "    ";

    private DecisionFormat() {}

    /** {@code 2026-12-01T10:04:10Z  chat  #7  ROLLBACK  stage 2 -> 0%  error_rate: ...} */
    static String line(DecisionRecord d) {
        return String.format(Locale.ROOT, "%s  %s  #%d  %-8s  stage %d -> %s  %s",
                time(d), d.release(), d.seq(), d.action(), d.stage(), percent(d.canaryPercent()), text(d.reason()));
    }

    /** The decision's line and, indented, one line per piece of evidence. */
    static List<String> lines(DecisionRecord d) {
        List<String> lines = new ArrayList<>();
        lines.add(line(d));
        for (Evidence evidence : evidence(d)) {
            lines.add(INDENT + evidence(evidence));
        }
        return lines;
    }

    /**
     * {@code error_rate: baseline 1.00% canary 4.10%, e-value 152.3 (threshold 100), n 5400/610};
     * values in the metric's unit when the metric is a guard metric.
     */
    static String evidence(Evidence e) {
        Optional<GuardMetric> metric = GuardMetric.fromWire(e.metric());
        String baseline = metric.map(m -> m.format(e.baseline())).orElse(number(e.baseline()));
        String canary = metric.map(m -> m.format(e.canary())).orElse(number(e.canary()));
        return String.format(Locale.ROOT, "%s: baseline %s canary %s, %s %s (threshold %s), n %d/%d",
                text(e.metric()), baseline, canary, text(e.statistic()), number(e.value()), number(e.threshold()),
                e.samplesBaseline(), e.samplesCanary());
    }

    /** The latest decision in full, then the history as a table. */
    static List<String> status(String release, List<DecisionRecord> history) {
        DecisionRecord latest = history.get(history.size() - 1);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%s: %s at stage %d, canary %s (seq %d, %s)",
                release, latest.action(), latest.stage(), percent(latest.canaryPercent()), latest.seq(), time(latest)));
        lines.add("  strategy  " + strategy(latest.strategy()));
        lines.add("  reason    " + text(latest.reason()));
        List<Evidence> evidence = evidence(latest);
        for (int i = 0; i < evidence.size(); i++) {
            lines.add((i == 0 ? "  evidence  " : "            ") + evidence(evidence.get(i)));
        }
        lines.add("");
        lines.add("history (" + history.size() + (history.size() == 1 ? " decision" : " decisions") + ", oldest first):");
        int seqWidth = Math.max(3, history.stream().mapToInt(d -> Long.toString(d.seq()).length()).max().orElse(3));
        String row = "  %" + seqWidth + "s  %-20s  %-8s  %5s  %7s  %s";
        lines.add(String.format(Locale.ROOT, row, "seq", "time", "action", "stage", "canary", "reason"));
        DecisionRecord previous = null;
        for (DecisionRecord d : history) {
            if (previous != null && d.seq() > previous.seq() + 1) {
                long missing = d.seq() - previous.seq() - 1;
                lines.add(String.format(Locale.ROOT, row, "", "", "...", "", "",
                        missing + (missing == 1 ? " decision" : " decisions")
                                + " no longer on the topic (compacted)"));
            }
            lines.add(String.format(Locale.ROOT, row, d.seq(), time(d), d.action(), d.stage(), percent(d.canaryPercent()),
                    text(d.reason())));
            previous = d;
        }
        return lines;
    }

    static String strategy(Strategy strategy) {
        if (strategy == null) {
            return "-";
        }
        StringBuilder text = new StringBuilder(strategy.type());
        for (Map.Entry<String, Object> parameter : strategy.parameters().entrySet()) {
            text.append(' ').append(parameter.getKey()).append('=').append(parameter.getValue());
        }
        return text.toString();
    }

    /** {@code 25%}, {@code 0.5%}: the percent as the plan wrote it. */
    static String percent(double percent) {
        return number(percent) + "%";
    }

    static String number(double value) {
        if (!Double.isFinite(value)) {
            return String.valueOf(value);
        }
        BigDecimal exact = BigDecimal.valueOf(value);
        if (exact.abs().compareTo(BigDecimal.valueOf(1_000_000)) >= 0 || value == Math.rint(value)) {
            return exact.setScale(0, java.math.RoundingMode.HALF_EVEN).toPlainString();
        }
        return new BigDecimal(String.format(Locale.ROOT, "%.4g", value)).stripTrailingZeros().toPlainString();
    }

    /** Event time to the second; the emission time when a record has none. */
    private static String time(DecisionRecord d) {
        Instant time = d.eventTime() != null ? d.eventTime() : d.emittedAt();
        return time == null ? "-" : time.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static List<Evidence> evidence(DecisionRecord d) {
        return d.evidence() == null ? List.of() : d.evidence();
    }

    /** One line: a reason with a line break would break the table. */
    private static String text(String text) {
        return text == null ? "-" : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
