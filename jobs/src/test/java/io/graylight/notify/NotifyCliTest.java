package io.graylight.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.cli.GraylightCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code graylight notify validate|test-webhook} against a local receiver. */
class NotifyCliTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = GraylightCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    @Test
    void testWebhookPostsToEveryTargetIgnoringFilters() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.failFirst(1);
            Path file = dir.resolve("notifications.yaml");
            Files.writeString(file, """
                    targets:
                      - {name: slack, kind: slack, url: "%1$s", decisions: none, retry: {initialBackoff: 10ms}}
                      - {name: generic, kind: generic, url: "%1$s", alerts: none, decisions: {actions: [COMPLETE]}}
                    """.formatted(receiver.url()));

            Run run = run("notify", "test-webhook", "--config", file.toString());

            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(run.out()).contains("slack: delivered").contains("generic: delivered");
            assertThat(receiver.delivered()).hasSize(2);
            assertThat(receiver.delivered()).filteredOn(b -> b.has("text"))
                    .singleElement().satisfies(b -> assertThat(b.get("text").asText()).contains("graylight-test ROLLBACK #1"));
            assertThat(receiver.delivered()).filteredOn(b -> b.has("decision")).hasSize(1);
        }
    }

    @Test
    void theExampleFileValidatesAndABadOneIsRefusedWithItsPlace() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "targets:\n  - {name: x, kind: slack, url: \"https://hooks.example.com/x\", rateLimit: {count: 5, per: soon}}\n");

        Run refused = run("notify", "validate", bad.toString());

        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err().strip()).isEqualTo(bad + ":2:91: 'per' is a duration such as 500ms, 30s or 10m, not the text 'soon'");
        assertThat(refused.err()).doesNotContain("Exception");

        Path example = Path.of("..", "notifications", "notifications.yaml");
        NotificationConfig config = NotificationConfigParser.parse(Files.readString(example), example.toString(),
                java.util.Map.of("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T/B/X",
                        "AUDIT_WEBHOOK_URL", "http://audit:8080/hook")::get);
        assertThat(config.targets()).extracting(WebhookTarget::name).containsExactly("oncall-slack", "audit");
    }
}
