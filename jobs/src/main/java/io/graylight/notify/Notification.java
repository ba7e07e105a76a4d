package io.graylight.notify;

import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.decision.DecisionRecord;
import java.util.Locale;

/**
 * An alert or a decision on its way to the webhooks. {@code key} identifies it for de-duplication:
 * the alert id (deterministic for a match, so a replayed alert has the same one) or release and seq.
 */
public record Notification(String key, Alert alert, DecisionRecord decision) {

    public static Notification of(Alert alert) {
        return new Notification("alert:" + alert.alertId(), alert, null);
    }

    public static Notification of(DecisionRecord decision) {
        return new Notification("decision:" + decision.release() + "#" + decision.seq(), null, decision);
    }

    public String release() {
        return alert != null ? alert.release() : decision.release();
    }

    /** One line for people: what happened, to which release, and why. */
    public String summary() {
        if (alert != null) {
            return String.format(Locale.ROOT, "[%s] %s %s: %s (%s %s, effect %s%s)",
                    upper(alert.severity()), alert.release(), lower(alert.scope()), alert.message(),
                    lower(alert.source()), alert.rule(), lower(alert.effect()), alert.dryRun() ? ", dry run" : "");
        }
        return String.format(Locale.ROOT, "%s %s #%d: canary %s%% (stage %d): %s", decision.release(), decision.action(),
                decision.seq(), percent(decision.canaryPercent()), decision.stage(), decision.reason());
    }

    private static String percent(double p) {
        return p == Math.rint(p) ? String.valueOf((long) p) : String.format(Locale.ROOT, "%.2f", p);
    }

    private static String lower(Enum<?> value) {
        return value == null ? "?" : value.name().toLowerCase(Locale.ROOT);
    }

    private static String upper(Enum<?> value) {
        return value == null ? "?" : value.name();
    }
}
