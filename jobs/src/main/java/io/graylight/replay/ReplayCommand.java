package io.graylight.replay;

import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.json.Json;
import io.graylight.options.JobOptions;
import io.graylight.rollout.RolloutDecisionJob;
import io.graylight.rollout.plan.PlanException;
import io.graylight.rollout.plan.PlanParser;
import io.graylight.telemetry.TelemetrySources;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.CloseableIterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code graylight replay}: the decision job on a recorded telemetry file, in event time, on a
 * MiniCluster, writing every decision record as one JSON line. Parallelism 1 keeps the order in
 * which each release sees its events, and so the decisions, identical from run to run; decisions
 * carry their event time as {@code emittedAt} for the same reason.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Replay recorded telemetry through the decision job and write its decisions.",
        footer = {"", "Example:",
                "  graylight simulate --out t.jsonl.gz --duration 2h --rate-factor 5 --fault error_rate=0.05@40m",
                "  graylight replay --telemetry t.jsonl.gz --plan rollouts/chat-percentage.yaml --out decisions.jsonl"})
public final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--telemetry", required = true, paramLabel = "FILE",
            description = "Telemetry JSON Lines (.jsonl or .jsonl.gz).")
    Path telemetry;

    @Option(names = "--plan", required = true, paramLabel = "PLAN.yaml",
            description = "Rollout plan; release '*' applies it to every release in the file.")
    Path plan;

    @Option(names = "--out", required = true, paramLabel = "DECISIONS.jsonl", description = "Where to write the decisions.")
    Path out;

    @Option(names = "--quiet", description = "No progress bar or summary.")
    boolean quiet;

    private final PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(telemetry)) {
            err.println("replay: no such telemetry file: " + telemetry);
            return 2;
        }
        try {
            PlanParser.parse(plan);
        } catch (PlanException e) {
            err.println("replay: plan refused:\n" + e.getMessage());
            return 2;
        }
        long lines = quiet ? 0 : ReplayProgress.countLines(telemetry);
        String progressId = ReplayProgress.register();
        List<DecisionRecord> decisions = new ArrayList<>();
        long started = System.nanoTime();
        try (ProgressBar progress = quiet ? null : new ProgressBarBuilder().setTaskName("replay")
                .setInitialMax(lines).setStyle(ProgressBarStyle.ASCII).setUnit(" events", 1).continuousUpdate().build()) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
            RolloutDecisionJob job = RolloutDecisionJob.forReplay(
                    TelemetrySources.files(List.of(telemetry), progressId),
                    List.of(),
                    new DiscardingSink<>(),
                    JobOptions.defaults(),
                    RolloutDecisionJob.planSources(List.of(plan.toString())),
                    true);
            DataStream<DecisionRecord> decided = job.build(env);
            try (CloseableIterator<DecisionRecord> results = decided.executeAndCollect("graylight-replay")) {
                while (results.hasNext()) {
                    decisions.add(results.next());
                    if (progress != null) {
                        progress.stepTo(ReplayProgress.read(progressId));
                    }
                }
            }
            if (progress != null) {
                progress.stepTo(ReplayProgress.read(progressId));
            }
        } finally {
            ReplayProgress.unregister(progressId);
        }
        decisions.sort(Comparator.comparing(DecisionRecord::eventTime)
                .thenComparing(DecisionRecord::release).thenComparingLong(DecisionRecord::seq));
        write(decisions);
        if (!quiet) {
            summarize(decisions, (System.nanoTime() - started) / 1e9);
        }
        return 0;
    }

    private void write(List<DecisionRecord> decisions) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (DecisionRecord decision : decisions) {
                writer.write(Json.toString(decision));
                writer.newLine();
            }
        }
    }

    private void summarize(List<DecisionRecord> decisions, double seconds) {
        err.printf(Locale.ROOT, "replay: %d decisions in %.1f s -> %s%n", decisions.size(), seconds, out);
        for (DecisionRecord d : decisions) {
            err.printf(Locale.ROOT, "  %s  %-8s #%-3d %-8s stage %d -> %5.1f%%  %s%n", d.eventTime(), d.release(), d.seq(),
                    d.action(), d.stage(), d.canaryPercent(), d.reason());
        }
    }
}
