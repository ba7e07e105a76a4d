package io.graylight.report;

import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.metrics.CohortMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's header: how the rollout ended, when it ran and the canary shares it went through.
 *
 * @param outcome {@code ROLLED BACK}, {@code COMPLETED}, or {@code IN PROGRESS} (and the last action)
 * @param start the first decision's event time, or the first metric window when there is none
 * @param end the final decision's event time when the rollout ended, else the last metric window's end
 * @param stages canary percents in the order the decisions set them, repeats left out
 * @param finalReason the reason of the last decision, or null
 */
public record ReportSummary(String outcome, Instant start, Instant end, List<Double> stages,
                            long baselineRequests, long canaryRequests, String finalReason) {

    public static ReportSummary of(ReportData data) {
        List<DecisionRecord> decisions = data.decisions();
        DecisionRecord last = decisions.isEmpty() ? null : decisions.get(decisions.size() - 1);
        boolean ended = last != null && (last.action() == Action.ROLLBACK || last.action() == Action.COMPLETE);
        String outcome = last == null ? "NO DECISIONS"
                : last.action() == Action.ROLLBACK ? "ROLLED BACK"
                : last.action() == Action.COMPLETE ? "COMPLETED"
                : "IN PROGRESS (last: " + last.action() + ")";
        Instant firstWindow = data.metrics().isEmpty() ? null : data.metrics().get(0).windowStart();
        Instant lastWindow = data.metrics().stream().map(CohortMetrics::windowEnd).max(Instant::compareTo).orElse(null);
        Instant start = decisions.isEmpty() ? firstWindow : decisions.get(0).eventTime();
        Instant end = ended ? last.eventTime() : lastWindow != null ? lastWindow : last == null ? null : last.eventTime();
        List<Double> stages = new ArrayList<>();
        for (DecisionRecord d : decisions) {
            if (stages.isEmpty() || stages.get(stages.size() - 1) != d.canaryPercent()) {
                stages.add(d.canaryPercent());
            }
        }
        long baseline = data.metrics().stream().filter(m -> "baseline".equals(m.cohort())).mapToLong(CohortMetrics::requests).sum();
        long canary = data.metrics().stream().filter(m -> "canary".equals(m.cohort())).mapToLong(CohortMetrics::requests).sum();
        return new ReportSummary(outcome, start, end, stages, baseline, canary, last == null ? null : last.reason());
    }

    public Duration duration() {
        return start == null || end == null ? Duration.ZERO : Duration.between(start, end);
    }

    /** {@code 1h 12m 5s}, {@code 4m 0s}, {@code 12s}. */
    public static String format(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
        long h = seconds / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%dh %dm %ds", h, m, s)
                : m > 0 ? String.format(Locale.ROOT, "%dm %ds", m, s) : s + "s";
    }

    /** {@code 10% → 25% → 0%}. */
    public String stagesText() {
        if (stages.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        stages.forEach(p -> parts.add(percent(p)));
        return String.join(" → ", parts);
    }

    static String percent(double p) {
        return (p == Math.rint(p) ? String.valueOf((long) p) : String.format(Locale.ROOT, "%.2f", p)) + "%";
    }
}
