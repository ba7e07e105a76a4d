package io.graylight.contracts.alert;

import java.time.Instant;

/**
 * An alert on {@code graylight.alerts} (key = release), raised by a CEP rule or an anomaly model.
 *
 * @param alertId deterministic for the match (rule, release, scope and matched events), so a
 *     replayed or retried alert keeps its id
 * @param source CEP rule or anomaly model
 * @param rule the rule id, or the model id and version for anomalies (e.g. {@code anomaly@v1})
 * @param severity info, warning or critical
 * @param effect notify, hold or rollback
 * @param dryRun true for a rule being tried out: logged and counted, never acted on
 * @param release the rollout it is about
 * @param scope the cohort it is about, or both for an incident
 * @param eventTime event time of the last matched event; the alert's own time
 * @param emittedAt wall-clock time the alert was produced
 * @param holdUntil for effect hold: the event time until which promotions are blocked; else null
 * @param message the rule's message template, filled in
 * @param matched what was matched, summarised
 * @param score the anomaly score for model alerts; null for CEP alerts
 */
public record Alert(
        String alertId,
        AlertSource source,
        String rule,
        Severity severity,
        Effect effect,
        boolean dryRun,
        String release,
        AlertScope scope,
        Instant eventTime,
        Instant emittedAt,
        Instant holdUntil,
        String message,
        MatchedEvents matched,
        Double score) {

    /** Whether the decision job should roll the canary back for it: critical, rollback, canary-only, not a dry run. */
    public boolean demandsRollback() {
        return !dryRun && effect == Effect.ROLLBACK && severity == Severity.CRITICAL && scope == AlertScope.CANARY;
    }

    /** Whether it blocks promotions until {@code holdUntil}: a hold, or a rollback alert that does not qualify for one. */
    public boolean blocksPromotion() {
        return !dryRun && (effect == Effect.HOLD || effect == Effect.ROLLBACK);
    }
}
