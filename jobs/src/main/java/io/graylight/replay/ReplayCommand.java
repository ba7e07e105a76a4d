package io.graylight.replay;

import io.graylight.anomaly.AnomalyAlerts;
import io.graylight.anomaly.AnomalyJob;
import io.graylight.anomaly.AnomalyScorer;
import io.graylight.cep.job.AlertRuns;
import io.graylight.cep.rules.Rule;
import io.graylight.cep.rules.RuleException;
import io.graylight.cep.rules.RuleParser;
import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.alert.Effect;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.metrics.TelemetryMetricsJob;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code graylight replay}: the decision job on a recorded telemetry file, in event time, on a
 * MiniCluster, writing every decision record as one JSON line. Parallelism 1 keeps the order in
 * which each release sees its events, and so the decisions, identical from run to run; decisions
 * carry their event time as {@code emittedAt} for the same reason.
 *
 * <p>With {@code --rules} and {@code --models}, the CEP rules and the anomaly model run on the
 * same file first, and their alerts are handed to the judge, which applies them in event time as
 * the decision job applies alerts from the alerts topic (RolloutJudge.WithoutCommands).
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

    @Option(names = "--rules", paramLabel = "DIR",
            description = "CEP rule files (e.g. cep-rules/): their alerts act on the decisions.")
    Path rules;

    @Option(names = "--models", paramLabel = "DIR",
            description = "Anomaly model: a model directory (ml-models/anomaly/v1) or ml-models/ (its newest anomaly version).")
    Path models;

    @Option(names = "--canary-anomaly-effect", paramLabel = "hold|rollback", defaultValue = "hold",
            description = "What a canary-only anomaly asks of the judge (default: ${DEFAULT-VALUE}).")
    String canaryAnomalyEffect;

    @Option(names = "--alerts-out", paramLabel = "ALERTS.jsonl",
            description = "Also write the alerts of --rules and --models, one JSON per line (graylight report --alerts).")
    Path alertsOut;

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
        List<Rule> ruleSet = List.of();
        if (rules != null) {
            try {
                ruleSet = RuleParser.parseDirectory(rules);
            } catch (RuleException e) {
                err.println("replay: rules refused:\n" + e.getMessage());
                return 2;
            }
        }
        Path anomalyModel = null;
        if (models != null) {
            anomalyModel = anomalyModelDirectory(models);
            if (anomalyModel == null) {
                err.println("replay: no anomaly model in " + models + " (want a directory with metadata.json, or ml-models/)");
                return 2;
            }
        }
        List<Alert> alerts = alerts(ruleSet, anomalyModel);
        if (alertsOut != null) {
            writeLines(alertsOut, alerts);
        }
        long started = System.nanoTime();
        List<DecisionRecord> decisions = new ArrayList<>(ReplayProgress.collect(telemetry, "replay", quiet, 1, "graylight-replay",
                (env, progressId) -> RolloutDecisionJob.forReplay(
                        TelemetrySources.files(List.of(telemetry), progressId),
                        alerts,
                        new DiscardingSink<>(),
                        JobOptions.defaults(),
                        RolloutDecisionJob.planSources(List.of(plan.toString())),
                        true).build(env)));
        decisions.sort(Comparator.comparing(DecisionRecord::eventTime)
                .thenComparing(DecisionRecord::release).thenComparingLong(DecisionRecord::seq));
        writeLines(out, decisions);
        if (!quiet) {
            if (rules != null || models != null) {
                err.printf(Locale.ROOT, "replay: %d alerts from %s%s%n", alerts.size(),
                        rules != null ? ruleSet.size() + " rules" : "", models != null ? (rules != null ? " and " : "") + anomalyModel : "");
            }
            summarize(decisions, (System.nanoTime() - started) / 1e9);
        }
        return 0;
    }

    /**
     * The alerts of the rules and the anomaly model on the file, in event-time order. Each runs as
     * its own bounded job (both would compute metrics windows under the same operator ids).
     */
    private List<Alert> alerts(List<Rule> ruleSet, Path anomalyModel) throws Exception {
        List<Alert> alerts = new ArrayList<>();
        JobOptions options = JobOptions.defaults();
        if (!ruleSet.isEmpty()) {
            alerts.addAll(ReplayProgress.collect(telemetry, "rules", true, 1, "graylight-replay-rules",
                    (env, progressId) -> AlertRuns.onFiles(env, ruleSet, List.of(telemetry), progressId, null,
                            new DiscardingSink<>(), options)));
        }
        if (anomalyModel != null) {
            AnomalyScorer scorer = new AnomalyScorer(anomalyModel.toString(),
                    new AnomalyAlerts(Effect.valueOf(canaryAnomalyEffect.toUpperCase(Locale.ROOT)), Duration.ofMinutes(2), true),
                    Duration.ofSeconds(30), Duration.ofHours(1));
            alerts.addAll(ReplayProgress.collect(telemetry, "anomaly", true, 1, "graylight-replay-anomaly",
                    (env, progressId) -> new AnomalyJob(null, null, new DiscardingSink<>(), scorer,
                            options.maxOutOfOrderness(), options.idleness())
                            .build(env, new TelemetryMetricsJob(TelemetrySources.files(List.of(telemetry), progressId),
                                    new DiscardingSink<>(), new DiscardingSink<>(), options).build(env))));
        }
        alerts.sort(Comparator.comparing(Alert::eventTime).thenComparing(Alert::alertId));
        return alerts;
    }

    /** A model directory as given, or the newest version under {@code DIR/anomaly/}; null if neither. */
    static Path anomalyModelDirectory(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve("metadata.json"))) {
            return dir;
        }
        Path family = dir.resolve("anomaly");
        if (!Files.isDirectory(family)) {
            return null;
        }
        try (var versions = Files.list(family)) {
            return versions.filter(v -> Files.isRegularFile(v.resolve("metadata.json")))
                    .max(Comparator.comparing((Path v) -> v.getFileName().toString().length())
                            .thenComparing(v -> v.getFileName().toString()))
                    .orElse(null);
        }
    }

    private static void writeLines(Path file, List<?> records) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Object record : records) {
                writer.write(Json.toString(record));
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
