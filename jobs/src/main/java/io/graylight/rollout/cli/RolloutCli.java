package io.graylight.rollout.cli;

import io.graylight.contracts.command.CommandType;
import io.graylight.contracts.command.RolloutCommand;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.json.Json;
import io.graylight.rollout.plan.PlanException;
import io.graylight.rollout.plan.PlanParser;
import io.graylight.rollout.plan.RolloutPlan;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code graylight rollout start|pause|resume|abort|promote|status}: operator commands to the
 * judge on {@code graylight.commands} (keyed by release), and the rollout's state from
 * {@code graylight.decisions}.
 *
 * <p>Exit codes: 0 done; 1 Kafka unreachable, topic missing, nothing to show; 2 invalid input
 * (a refused plan, a usage error): nothing was sent.
 */
@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = "Start, steer and inspect rollouts: commands go to <prefix>commands, state comes from <prefix>decisions.",
        subcommands = {
            RolloutCli.Start.class,
            RolloutCli.Pause.class,
            RolloutCli.Resume.class,
            RolloutCli.Abort.class,
            RolloutCli.Promote.class,
            RolloutCli.Status.class,
        },
        footer = {"", "Examples:",
                "  graylight rollout start --plan rollouts/chat-percentage.yaml --reason \"prompt v2\"",
                "  graylight rollout pause chat --reason \"investigating a spike\"",
                "  graylight rollout status chat --kafka kafka:9092"})
public final class RolloutCli {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int INVALID = 2;

    /** {@code graylight rollout start --plan FILE}: checks the plan here, then sends it with a START. */
    @Command(name = "start", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Start a rollout with a plan file, checked here first.",
                    "A refused plan is reported as file:line:column: reason (exit 2) and nothing is sent."})
    static final class Start implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--plan", paramLabel = "FILE", required = true, description = "The rollout plan (YAML).")
        Path plan;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit trail.")
        String reason;

        @Option(names = "--issued-by", paramLabel = "WHO", description = "Who issues it (default: user@host).")
        String issuedBy;

        @Option(names = "--dry-run", description = "Check the plan and print the command as JSON; send nothing.")
        boolean dryRun;

        @Mixin
        KafkaOptions kafka;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            String yaml;
            RolloutPlan parsed;
            try {
                yaml = PlanParser.readText(plan);
                parsed = PlanParser.parse(yaml, plan.toString());
            } catch (PlanException e) {
                e.problems().forEach(err::println);
                err.println("rollout start: plan refused, nothing sent");
                err.flush();
                return INVALID;
            }
            RolloutCommand command = RolloutCommand.start(parsed.release(), yaml, plan.toString(), reason,
                    issuedBy(issuedBy), Instant.now().truncatedTo(ChronoUnit.MILLIS));
            if (dryRun) {
                PrintWriter out = spec.commandLine().getOut();
                out.println(Json.toString(command));
                out.flush();
                return OK;
            }
            return send(spec, kafka, command);
        }
    }

    /** The shared form of the commands that name a release and carry no plan. */
    abstract static class ReleaseCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "RELEASE", description = "The release, as in the plan's 'release'.")
        String release;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit trail.")
        String reason;

        @Option(names = "--issued-by", paramLabel = "WHO", description = "Who issues it (default: user@host).")
        String issuedBy;

        @Mixin
        KafkaOptions kafka;

        abstract CommandType type();

        @Override
        public Integer call() {
            if (release.isBlank()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "RELEASE must not be blank");
            }
            return send(spec, kafka, RolloutCommand.of(type(), release.strip(), reason, issuedBy(issuedBy),
                    Instant.now().truncatedTo(ChronoUnit.MILLIS)));
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Hold the rollout at its stage: no promotion until resumed; a regression still rolls back.")
    static final class Pause extends ReleaseCommand {
        @Override
        CommandType type() {
            return CommandType.PAUSE;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Continue a paused rollout.")
    static final class Resume extends ReleaseCommand {
        @Override
        CommandType type() {
            return CommandType.RESUME;
        }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true,
            description = "Roll back to the baseline now and end the rollout.")
    static final class Abort extends ReleaseCommand {
        @Override
        CommandType type() {
            return CommandType.ABORT;
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Move to the next stage now, without waiting for the dwell time or the evidence.")
    static final class Promote extends ReleaseCommand {
        @Override
        CommandType type() {
            return CommandType.PROMOTE;
        }
    }

    /** {@code graylight rollout status RELEASE}: the latest decision and the history, committed records only. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Show a release's latest decision and its history.",
                    "Reads <prefix>decisions from the beginning with read_committed: action, stage,",
                    "canary percent, reason and evidence of the latest decision, then every decision."})
    static final class Status implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "RELEASE", description = "The release.")
        String release;

        @Mixin
        KafkaOptions kafka;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            String topic = kafka.topics().decisions();
            List<DecisionLog.Entry> entries;
            try (DecisionLog log = new DecisionLog(kafka.bootstrapServers(), topic, kafka.timeout())) {
                entries = log.readToEnd(e -> release.equals(e.release()));
            } catch (KafkaException | IllegalStateException e) {
                err.println("rollout status: cannot read " + topic + ": " + e.getMessage());
                err.flush();
                return FAILED;
            }
            for (DecisionLog.Entry entry : entries) {
                if (!entry.isDecision()) {
                    err.println("rollout status: skipped " + entry.origin() + ": " + entry.problem());
                }
            }
            List<DecisionRecord> history = entries.stream().filter(DecisionLog.Entry::isDecision)
                    .map(DecisionLog.Entry::decision).toList();
            if (history.isEmpty()) {
                err.println("rollout status: no decisions for release '" + release + "' on " + topic);
                err.flush();
                return FAILED;
            }
            DecisionFormat.status(release, history).forEach(out::println);
            out.flush();
            err.flush();
            return OK;
        }
    }

    /** Sends and waits for the broker's acknowledgement; prints the command id. */
    static int send(CommandSpec spec, KafkaOptions kafka, RolloutCommand command) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String topic = kafka.topics().commands();
        String name = "rollout " + command.type().name().toLowerCase();
        try (CommandSender sender = new CommandSender(kafka.bootstrapServers(), kafka.timeout())) {
            RecordMetadata acked = sender.send(topic, command);
            out.printf("%s %s: command %s acknowledged (%s-%d@%d)%n", command.type(), command.release(),
                    command.commandId(), acked.topic(), acked.partition(), acked.offset());
            out.flush();
            return OK;
        } catch (ExecutionException e) {
            err.println(name + ": not sent to " + topic + " at " + kafka.bootstrapServers() + ": " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            err.println(name + ": no acknowledgement from " + kafka.bootstrapServers() + " within " + kafka.timeout()
                    + "; the command " + command.commandId() + " may or may not have been written");
        } catch (KafkaException e) {
            err.println(name + ": not sent to " + topic + " at " + kafka.bootstrapServers() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(name + ": interrupted; the command " + command.commandId() + " may or may not have been written");
        }
        err.flush();
        return FAILED;
    }

    /** The operator as {@code user@host} unless given. */
    static String issuedBy(String given) {
        if (given != null && !given.isBlank()) {
            return given.strip();
        }
        String user = System.getProperty("user.name", "unknown");
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException | SecurityException e) {
                host = "unknown-host";
            }
        }
        return user + "@" + host;
    }
}
