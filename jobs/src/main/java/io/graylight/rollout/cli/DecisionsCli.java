package io.graylight.rollout.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code graylight decisions tail}: the decision records, readable, committed records only. */
@Command(name = "decisions", mixinStandardHelpOptions = true,
        description = "Read the decision records of <prefix>decisions.",
        subcommands = {DecisionsCli.Tail.class})
public final class DecisionsCli {

    @Command(name = "tail", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Print decision records from the beginning of <prefix>decisions (read_committed),",
                    "one line each: time, release, #seq, action, stage -> canary percent, reason;",
                    "evidence indented below. With --follow, keep printing new ones until Ctrl-C."},
            footer = {"", "Example:", "  graylight decisions tail --release chat --follow"})
    public static final class Tail implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--release", paramLabel = "RELEASE", description = "Only this release's decisions.")
        String release;

        @Option(names = {"-f", "--follow"}, description = "Keep printing new decisions as they are committed.")
        boolean follow;

        @Option(names = {"-n", "--last"}, paramLabel = "N", description = "Of the existing decisions, print only the last N.")
        Integer last;

        @Mixin
        KafkaOptions kafka;

        private volatile boolean stopped;
        private volatile DecisionLog log;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (last != null && last < 0) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--last must be >= 0");
            }
            String topic = kafka.topics().decisions();
            Predicate<DecisionLog.Entry> filter = e -> release == null || release.equals(e.release());
            CountDownLatch finished = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                stop();
                try {
                    finished.await(3, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "decisions-tail-stop");
            if (follow) {
                Runtime.getRuntime().addShutdownHook(hook);
            }
            try (DecisionLog opened = new DecisionLog(kafka.bootstrapServers(), topic, kafka.timeout())) {
                log = opened;
                if (stopped) {
                    return RolloutCli.OK;
                }
                List<DecisionLog.Entry> existing = opened.readToEnd(filter);
                int skip = last == null ? 0 : Math.max(0, existing.size() - last);
                existing.stream().skip(skip).forEach(e -> print(e, out, err));
                if (follow) {
                    opened.follow(filter, e -> print(e, out, err));
                }
                return RolloutCli.OK;
            } catch (WakeupException e) {
                return RolloutCli.OK; // stopped while reading
            } catch (KafkaException | IllegalStateException e) {
                err.println("decisions tail: cannot read " + topic + ": " + e.getMessage());
                err.flush();
                return RolloutCli.FAILED;
            } finally {
                finished.countDown();
                if (follow) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException e) {
                        // the JVM is shutting down: the hook is what stopped us
                    }
                }
            }
        }

        /** Ends a {@code --follow} (the Ctrl-C hook calls it); safe from any thread. */
        public void stop() {
            stopped = true;
            DecisionLog current = log;
            if (current != null) {
                current.wakeup();
            }
        }

        private static void print(DecisionLog.Entry entry, PrintWriter out, PrintWriter err) {
            if (entry.isDecision()) {
                DecisionFormat.lines(entry.decision()).forEach(out::println);
                out.flush();
            } else {
                err.println("decisions tail: skipped " + entry.origin() + ": " + entry.problem());
                err.flush();
            }
        }
    }
}
