package io.graylight.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graylight.contracts.alert.Effect;
import io.graylight.contracts.alert.Severity;
import io.graylight.contracts.decision.Action;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** notifications.yaml: what it means, and refusals with file:line:column. */
class NotificationConfigParserTest {

    static NotificationConfig parse(String yaml) throws NotificationConfigException {
        return NotificationConfigParser.parse(yaml, "notifications.yaml", Map.of("SLACK_URL", "https://hooks.example.com/T1/B2")::get);
    }

    static String problems(String yaml) {
        try {
            parse(yaml);
        } catch (NotificationConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + yaml);
    }

    @Test
    void aFullTargetAndDefaults() throws Exception {
        NotificationConfig config = parse("""
                dedupeWindow: 5m
                targets:
                  - name: oncall
                    kind: slack
                    url: ${SLACK_URL}
                    alerts: {severities: [critical], effects: [rollback, hold], dryRun: true}
                    decisions: {actions: [rollback, HOLD]}
                    rateLimit: {count: 5, per: 1m}
                    queueCapacity: 50
                    timeout: 3s
                    retry: {maxAttempts: 4, initialBackoff: 200ms, maxBackoff: 5s}
                  - name: audit
                    kind: generic
                    url: http://audit.internal:8080/graylight
                    alerts: none
                """);

        assertThat(config.dedupeWindow()).isEqualTo(Duration.ofMinutes(5));
        WebhookTarget oncall = config.targets().get(0);
        assertThat(oncall.url().toString()).isEqualTo("https://hooks.example.com/T1/B2");
        assertThat(oncall.alerts().severities()).containsExactly(Severity.CRITICAL);
        assertThat(oncall.alerts().effects()).containsExactlyInAnyOrder(Effect.ROLLBACK, Effect.HOLD);
        assertThat(oncall.alerts().includeDryRun()).isTrue();
        assertThat(oncall.decisions().actions()).isEqualTo(Set.of(Action.ROLLBACK, Action.HOLD));
        assertThat(oncall.rateLimit()).isEqualTo(new WebhookTarget.RateLimit(5, Duration.ofMinutes(1)));
        assertThat(oncall.retry().backoff(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(oncall.retry().backoff(3)).isEqualTo(Duration.ofMillis(800));
        assertThat(oncall.retry().backoff(10)).isEqualTo(Duration.ofSeconds(5));
        WebhookTarget audit = config.targets().get(1);
        assertThat(audit.alerts()).isNull();
        assertThat(audit.decisions().actions()).isEmpty();
        assertThat(audit.rateLimit()).isEqualTo(NotificationConfigParser.DEFAULT_RATE_LIMIT);
        assertThat(audit.queueCapacity()).isEqualTo(NotificationConfigParser.DEFAULT_QUEUE_CAPACITY);
    }

    @Test
    void everyProblemIsReportedWithItsPlace() {
        String message = problems("""
                targets:
                  - name: oncall
                    kind: teams
                    url: ftp://example.com/x
                    alerts: {severities: [critical, urgent]}
                    rateLimit: {count: 0, per: 1m}
                    colour: red
                  - name: other
                    kind: generic
                    url: ${MISSING_URL}
                    retry: {maxAttempts: 3, initialBackoff: 10s, maxBackoff: 1s}
                """);

        assertThat(message.lines()).containsExactly(
                "notifications.yaml:3:11: unknown kind 'teams' (known: slack, generic)",
                "notifications.yaml:4:10: url must be an absolute http or https URL, got 'ftp://example.com/x'",
                "notifications.yaml:5:37: unknown severity 'urgent' (known: info, warning, critical)",
                "notifications.yaml:6:24: 'count' must be between 1 and 1000000, got 0",
                "notifications.yaml:7:5: unknown field 'colour' in a target (known: name, kind, url, alerts, decisions, rateLimit, queueCapacity, timeout, retry)",
                "notifications.yaml:10:10: environment variable MISSING_URL is not set (named in the url)",
                "notifications.yaml:11:62: maxBackoff 1000 ms is below initialBackoff 10000 ms");
    }

    @Test
    void syntaxErrorsDuplicateKeysAndMissingTargets() throws Exception {
        assertThat(problems("targets: [\n")).startsWith("notifications.yaml:2:1: YAML syntax error");
        assertThat(problems("targets:\n  - {name: a, kind: slack, url: http://x/, url: http://y/}\n"))
                .isEqualTo("notifications.yaml:2:44: duplicate key 'url' (first at line 2)");
        assertThat(problems("dedupeWindow: 10m\n")).isEqualTo("notifications.yaml:1:1: missing 'targets': a list of webhooks like "
                + "[{name: oncall, kind: slack, url: https://...}]");
        Path missing = Files.createTempDirectory("notify").resolve("nope.yaml");
        assertThatThrownBy(() -> NotificationConfigParser.parse(missing)).hasMessage(missing + ": no such file");
    }
}
