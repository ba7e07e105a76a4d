package io.graylight.notify;

import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.alert.Effect;
import io.graylight.contracts.alert.Severity;
import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.DecisionRecord;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * One webhook from {@code notifications.yaml}: where to post, in which format, what to send and how
 * often at most.
 *
 * @param alerts which alerts it gets, or null for none
 * @param decisions which decisions it gets, or null for none
 */
public record WebhookTarget(
        String name,
        Kind kind,
        URI url,
        AlertFilter alerts,
        DecisionFilter decisions,
        RateLimit rateLimit,
        int queueCapacity,
        Duration timeout,
        Retry retry) implements Serializable {

    /** {@code slack}: Slack-compatible {text, blocks}; {@code generic}: the record itself with a summary line. */
    public enum Kind { SLACK, GENERIC }

    /** Alerts of these severities and effects (empty set: any); dry-run alerts only when asked for. */
    public record AlertFilter(Set<Severity> severities, Set<Effect> effects, boolean includeDryRun) implements Serializable {
        public boolean matches(Alert alert) {
            return (includeDryRun || !alert.dryRun())
                    && (severities.isEmpty() || severities.contains(alert.severity()))
                    && (effects.isEmpty() || effects.contains(alert.effect()));
        }
    }

    /** Decisions with these actions (empty set: any). */
    public record DecisionFilter(Set<Action> actions) implements Serializable {
        public boolean matches(DecisionRecord decision) {
            return actions.isEmpty() || actions.contains(decision.action());
        }
    }

    /** At most {@code count} notifications per {@code per}, in bursts of up to {@code count}: a token bucket. */
    public record RateLimit(int count, Duration per) implements Serializable {}

    /**
     * Attempts per notification on 5xx, 429, timeouts and connection errors, with exponential backoff
     * from {@code initialBackoff}, doubling up to {@code maxBackoff}.
     */
    public record Retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) implements Serializable {
        public Duration backoff(int failedAttempts) {
            long millis = initialBackoff.toMillis() << Math.min(30, Math.max(0, failedAttempts - 1));
            return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
        }
    }

    public boolean wants(Notification notification) {
        return notification.alert() != null
                ? alerts != null && alerts.matches(notification.alert())
                : decisions != null && decisions.matches(notification.decision());
    }
}
