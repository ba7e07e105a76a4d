package io.graylight.ml.anomaly;

import io.graylight.contracts.alert.AlertScope;
import io.graylight.contracts.alert.Severity;
import java.util.Map;

/**
 * What the detector says about one release window.
 *
 * @param scope null when nothing is anomalous; {@code CANARY} when only the canary is (against the
 *     baseline or its own history) while the baseline is normal; {@code BOTH} when both cohorts
 *     depart from their own history (an incident); {@code BASELINE} when only the baseline does
 * @param score the highest of the relevant scores (Isolation Forest scores in (0, 1])
 * @param severity warning above the threshold, critical above the critical threshold
 * @param contrastScore score of the canary-vs-baseline block
 * @param canaryScore score of the canary-vs-its-history block
 * @param baselineScore score of the baseline-vs-its-history block
 * @param topFeatures the features that depart most from normal training data, by |z|, with their values
 */
public record AnomalyVerdict(
        AlertScope scope,
        double score,
        Severity severity,
        double contrastScore,
        double canaryScore,
        double baselineScore,
        Map<String, Double> topFeatures) {

    public boolean anomalous() {
        return scope != null;
    }

    public boolean canaryAnomalous() {
        return scope == AlertScope.CANARY || scope == AlertScope.BOTH;
    }

    public boolean baselineAnomalous() {
        return scope == AlertScope.BASELINE || scope == AlertScope.BOTH;
    }
}
