package io.graylight.anomaly;

import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.alert.AlertScope;
import io.graylight.contracts.alert.AlertSource;
import io.graylight.contracts.alert.Effect;
import io.graylight.contracts.alert.MatchedEvents;
import io.graylight.contracts.alert.Severity;
import io.graylight.contracts.metrics.CohortMetrics;
import io.graylight.ml.anomaly.AnomalyVerdict;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a verdict into the {@link Alert} contract. A canary-only anomaly asks for
 * {@code canaryEffect} (hold by default, or rollback); an incident ({@code both}) and a
 * baseline-only anomaly always ask for a hold: the canary is not to blame for them.
 *
 * @param canaryEffect effect of canary-only anomalies: HOLD or ROLLBACK
 * @param hold how long a hold blocks promotions after the window's end
 */
public record AnomalyAlerts(Effect canaryEffect, Duration hold, boolean replayClock) implements Serializable {

    public AnomalyAlerts {
        if (canaryEffect != Effect.HOLD && canaryEffect != Effect.ROLLBACK) {
            throw new IllegalArgumentException("canary effect must be hold or rollback, not " + canaryEffect);
        }
    }

    public static AnomalyAlerts defaults() {
        return new AnomalyAlerts(Effect.HOLD, Duration.ofMinutes(2), false);
    }

    public Alert alert(String rule, CohortMetrics canary, CohortMetrics baseline, AnomalyVerdict verdict) {
        Instant eventTime = canary.windowEnd();
        Effect effect = verdict.scope() == AlertScope.CANARY ? canaryEffect : Effect.HOLD;
        Map<String, Double> values = new LinkedHashMap<>(verdict.topFeatures());
        values.put("contrastScore", verdict.contrastScore());
        values.put("canaryScore", verdict.canaryScore());
        values.put("baselineScore", verdict.baselineScore());
        String what = switch (verdict.scope()) {
            case CANARY -> "canary anomalous against the baseline and its own history";
            case BOTH -> "incident: both cohorts depart from their own history";
            case BASELINE -> "baseline anomalous against its own history";
        };
        String message = String.format(Locale.ROOT, "%s (score %.3f; most unusual: %s)", what, verdict.score(),
                String.join(", ", verdict.topFeatures().keySet()));
        MatchedEvents matched = new MatchedEvents(2, canary.windowStart(), eventTime, List.of(), values);
        Severity severity = verdict.severity();
        return new Alert(AnomalyScorer.alertId(rule, canary.release(), verdict.scope(), eventTime), AlertSource.ANOMALY, rule,
                severity, effect, false, canary.release(), verdict.scope(), eventTime, replayClock ? eventTime : Instant.now(),
                eventTime.plus(hold), message, matched, verdict.score());
    }
}
