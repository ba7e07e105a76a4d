package io.graylight.notify;

import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.alert.AlertScope;
import io.graylight.contracts.alert.AlertSource;
import io.graylight.contracts.alert.Effect;
import io.graylight.contracts.alert.MatchedEvents;
import io.graylight.contracts.alert.Severity;
import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.decision.Evidence;
import io.graylight.contracts.decision.Strategy;
import io.graylight.notify.WebhookTarget.AlertFilter;
import io.graylight.notify.WebhookTarget.DecisionFilter;
import io.graylight.notify.WebhookTarget.Kind;
import io.graylight.notify.WebhookTarget.RateLimit;
import io.graylight.notify.WebhookTarget.Retry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Alerts, decisions and targets for the notification tests. */
final class Samples {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private Samples() {}

    static Alert alert(String id, Severity severity, Effect effect) {
        return new Alert(id, AlertSource.CEP, "error-burst", severity, effect, false, "chat", AlertScope.CANARY,
                T0.plusSeconds(60), T0.plusSeconds(61), null, "canary error rate 12% over the last 30 s",
                new MatchedEvents(3, T0, T0.plusSeconds(60), List.of("e1", "e2", "e3"), Map.of("errorRate", 0.12)), null);
    }

    static DecisionRecord decision(String release, long seq, Action action) {
        return new DecisionRecord(release, seq, action, 1, action == Action.ROLLBACK ? 0.0 : 25.0, T0.plusSeconds(seq * 60),
                T0.plusSeconds(seq * 60), Strategy.percentage(), "canary worse than baseline beyond the margin: error_rate",
                List.of(new Evidence("error_rate", 0.004, 0.079, "worsening-lower-bound", 0.031, 0.03, 2407, 806)));
    }

    static WebhookTarget target(String name, Kind kind, URI url) {
        return new WebhookTarget(name, kind, url, new AlertFilter(Set.of(), Set.of(), false), new DecisionFilter(Set.of()),
                new RateLimit(100, Duration.ofMinutes(1)), 100, Duration.ofSeconds(10),
                new Retry(5, Duration.ofMillis(10), Duration.ofMillis(100)));
    }
}
