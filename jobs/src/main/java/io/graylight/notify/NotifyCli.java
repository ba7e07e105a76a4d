package io.graylight.notify;

import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.decision.Evidence;
import io.graylight.contracts.decision.Strategy;
import io.graylight.notify.WebhookTarget.AlertFilter;
import io.graylight.notify.WebhookTarget.DecisionFilter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code graylight notify validate|test-webhook}: check a notifications file, or post a test message to its targets. */
@Command(name = "notify", mixinStandardHelpOptions = true,
        description = "Webhook notifications: check notifications.yaml, send a test message.",
        subcommands = {NotifyCli.Validate.class, NotifyCli.TestWebhook.class})
public final class NotifyCli {

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check notification files; problems as file:line:column: reason, exit 2.")
    static final class Validate implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "FILE")
        List<Path> files;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            int exit = 0;
            for (Path file : files) {
                try {
                    NotificationConfig config = NotificationConfigParser.parse(file);
                    out.printf("%s: ok, dedupe window %s, %d target(s)%n", file, config.dedupeWindow(), config.targets().size());
                    for (WebhookTarget t : config.targets()) {
                        out.printf("  %s: %s to %s://%s, at most %d per %s%n", t.name(), t.kind().name().toLowerCase(),
                                t.url().getScheme(), t.url().getHost(), t.rateLimit().count(), t.rateLimit().per());
                    }
                } catch (NotificationConfigException e) {
                    e.problems().forEach(err::println);
                    exit = 2;
                }
            }
            return exit;
        }
    }

    @Command(name = "test-webhook", mixinStandardHelpOptions = true,
            description = "Post a test ROLLBACK decision to every target (or one), ignoring their filters; exit 1 if one fails.")
    static final class TestWebhook implements Callable<Integer> {
        @Option(names = "--config", required = true, paramLabel = "notifications.yaml")
        Path config;

        @Option(names = "--target", paramLabel = "NAME", description = "Only this target.")
        String target;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            NotificationConfig parsed;
            try {
                parsed = NotificationConfigParser.parse(config);
            } catch (NotificationConfigException e) {
                e.problems().forEach(err::println);
                return 2;
            }
            List<WebhookTarget> targets = parsed.targets().stream()
                    .filter(t -> target == null || t.name().equals(target))
                    .map(t -> new WebhookTarget(t.name(), t.kind(), t.url(), new AlertFilter(Set.of(), Set.of(), true),
                            new DecisionFilter(Set.of()), t.rateLimit(), t.queueCapacity(), t.timeout(), t.retry()))
                    .toList();
            if (targets.isEmpty()) {
                err.println("notify: no target named '" + target + "' in " + config);
                return 2;
            }
            Instant now = Instant.now();
            DecisionRecord sample = new DecisionRecord("graylight-test", 1, Action.ROLLBACK, 1, 0.0, now, now,
                    Strategy.percentage(), "test notification from graylight notify test-webhook: nothing was rolled back",
                    List.of(new Evidence("error_rate", 0.01, 0.05, "worsening-lower-bound", 0.031, 0.03, 5000, 500)));
            WebhookDispatcher dispatcher = new WebhookDispatcher(targets);
            dispatcher.offer(Notification.of(sample));
            Duration longest = targets.stream().map(t -> t.timeout().multipliedBy(t.retry().maxAttempts())
                    .plus(t.retry().maxBackoff().multipliedBy(t.retry().maxAttempts()))).max(Duration::compareTo).orElseThrow();
            dispatcher.close(longest);
            int exit = 0;
            for (var entry : dispatcher.stats().entrySet()) {
                WebhookDispatcher.Stats s = entry.getValue();
                boolean ok = s.delivered() == 1;
                (ok ? out : err).printf("%s: %s (%d retries)%n", entry.getKey(), ok ? "delivered" : "FAILED", s.retried());
                exit = ok ? exit : 1;
            }
            return exit;
        }
    }
}
