package io.graylight.report;

import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.metrics.CohortMetrics;
import java.util.Comparator;
import java.util.List;

/**
 * Everything a rollout report shows for one release, whatever it was loaded from: its decisions in
 * {@code seq} order, its per-cohort metric windows in time order and its alerts (CEP and anomaly) in
 * event-time order.
 */
public record ReportData(String release, List<DecisionRecord> decisions, List<CohortMetrics> metrics, List<Alert> alerts) {

    public ReportData {
        decisions = decisions.stream().filter(d -> release.equals(d.release()))
                .sorted(Comparator.comparingLong(DecisionRecord::seq)).toList();
        metrics = metrics.stream().filter(m -> release.equals(m.release()))
                .sorted(Comparator.comparing(CohortMetrics::windowStart).thenComparing(CohortMetrics::cohort)).toList();
        alerts = alerts.stream().filter(a -> release.equals(a.release()))
                .sorted(Comparator.comparing(Alert::eventTime).thenComparing(Alert::alertId)).toList();
    }

    public boolean isEmpty() {
        return decisions.isEmpty() && metrics.isEmpty() && alerts.isEmpty();
    }
}
