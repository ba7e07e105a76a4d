package io.graylight.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graylight.bench.DecisionTrials.Detection;
import io.graylight.bench.DecisionTrials.FalseRollbacks;
import io.graylight.bench.DecisionTrials.Judge;
import io.graylight.bench.DecisionTrials.Rate;
import io.graylight.bench.DecisionTrials.Report;
import io.graylight.bench.DecisionTrials.Run;
import io.graylight.bench.DecisionTrials.Settings;
import io.graylight.cli.DurationConverter;
import io.graylight.contracts.json.Json;
import io.graylight.rollout.plan.Guard;
import io.graylight.rollout.plan.PlanParser;
import io.graylight.rollout.plan.RolloutPlan;
import io.graylight.simulator.Durations;
import io.graylight.simulator.Fault;
import io.graylight.stats.AlphaBudget;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Decision quality of the rollout judge on simulated rollouts, next to the naive judge (a
 * fixed-sample test re-run every minute on the stage's cumulative data at the same per-comparison
 * alpha). Both judges drive the very same {@code Rollout} state machine on the same seeds, with the
 * simulated router following their decisions; only the statistic and how often it is read differ.
 * <ol>
 *   <li><b>False rollbacks</b> of a canary the plan accepts: A/A rollouts (no fault), and rollouts
 *       with one guard's metric exactly as much worse as its margin tolerates ("at margin"), where
 *       the test's null hypothesis is at its boundary. In an A/A run every guard is far inside its
 *       margin, so neither judge is expected to come near alpha there; the at-margin runs are where
 *       repeated looks cost the naive judge its level.
 *   <li><b>Detection</b> of one clear canary fault per kind, from an onset inside the first stage's
 *       dwell (5 min of 10 by default), so that both judges meet it in the same stage: the naive
 *       judge, which promotes sooner, would otherwise often meet it in a fresh stage, undiluted.
 * </ol>
 * Runs are spread over a fixed thread pool; each has its own seed, so the figures do not depend on
 * scheduling.
 */
@Command(name = "decisions", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"False-rollback rate (A/A and one guard at its margin) and time to detect canary faults: "
                + "the anytime-valid judge vs a naive fixed-sample test re-run every minute, on simulated rollouts."})
public final class DecisionBenchmark implements Callable<Integer> {

    /**
     * The benchmark plan. A 10 % canary first and ten-minute stages, as a real rollout would; at the
     * default traffic a 10 % stage sees about 3,000 canary requests in its ten minutes (2,200 to
     * 3,500: users are sticky and a few send most requests), 25 % about 7,000, 50 % about 15,000.
     * The margins are what this much data can decide: a guard holds the rollout until the canary
     * is shown within its margin, so a margin far below the confidence width at a stage's sample
     * size means a stage that never ends. latency_p99 is the loosest (+100 %): a 10 % stage has
     * only some 30 requests above the p99, and an exact bound on a p99 from 3,000 samples is wide;
     * a tail regression shows anyway (tail stalls move it by far more). The feedback rate's +0.10
     * reflects that only 8 % of requests are rated. {@code %s} is the alpha.
     */
    static final String PLAN = """
            release: chat
            strategy:
              type: percentage
            stages: [10, 25, 50, 100]
            minStageDuration: 10m
            minSamples: 2000
            alpha: %s
            guards:
              - {metric: error_rate, margin: 0.01}
              - {metric: timeout_rate, margin: 0.01}
              - {metric: latency_p95, relativeMargin: 0.30}
              - {metric: latency_p99, relativeMargin: 1.00}
              - {metric: ttft_p95, relativeMargin: 0.25}
              - {metric: cost_per_request, relativeMargin: 0.15}
              - {metric: quality_score, margin: 0.03}
              - {metric: negative_feedback_rate, margin: 0.10}
            """;

    /**
     * "Clear" regressions, one per fault kind, each well beyond the margin of the guard it moves
     * most: error rate +3 points (margin 1), latency x1.5 (p95 margin +30 %, TTFT +25 %), 5 % of
     * requests stalling 10-30 s (p99 +100 %), TTFT x2 (+25 %), quality -0.1 (-0.03), thumbs-down
     * +30 points (+10), cost x1.5 (+15 %), and a canary that stops sending telemetry.
     */
    static final List<String> DEFAULT_FAULTS = List.of("error_rate=0.03", "latency=1.5", "tail_stalls=0.05", "ttft=2",
            "quality_drop=0.1", "negative_feedback=0.3", "cost=1.5", "silence");

    @Spec
    CommandSpec spec;

    @Option(names = "--aa-runs", defaultValue = "200",
            description = "Rollouts without a fault, per judge (default ${DEFAULT-VALUE}).")
    int aaRuns;

    @Option(names = "--margin-runs", defaultValue = "40",
            description = "Rollouts per at-the-margin case, per judge; 0 for none (default ${DEFAULT-VALUE}).")
    int marginRuns;

    @Option(names = "--margin-fault", paramLabel = "SPEC",
            description = "A canary fault that puts one guard exactly at its margin, from the start; repeatable "
                    + "(default: derived from the plan: error_rate=m, ttft=1+m, cost=1+m, quality_drop=m, "
                    + "negative_feedback=m for the guards with those metrics).")
    List<String> marginFaultSpecs;

    @Option(names = "--fault-runs", defaultValue = "20",
            description = "Rollouts per fault, per judge (default ${DEFAULT-VALUE}).")
    int faultRuns;

    @Option(names = "--fault", paramLabel = "SPEC",
            description = "Canary fault to detect, kind[=magnitude][@onset]; repeatable (default: error_rate=0.03, "
                    + "latency=1.5, tail_stalls=0.05, ttft=2, quality_drop=0.1, negative_feedback=0.3, cost=1.5, silence).")
    List<String> faults;

    @Option(names = "--onset", defaultValue = "5m", converter = DurationConverter.class,
            description = "When a fault without @onset starts, in event time; the default lies within the first "
                    + "stage's dwell, so both judges meet the fault in the same stage (default ${DEFAULT-VALUE}).")
    Duration onset;

    @Option(names = "--duration", defaultValue = "45m", converter = DurationConverter.class,
            description = "Event time simulated per rollout, unless it completes or rolls back first (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--rate-factor", defaultValue = "20",
            description = "Trace speed-up; 20 gives about 2,900 requests a minute (default ${DEFAULT-VALUE}).")
    double rateFactor;

    @Option(names = "--alpha", defaultValue = "0.05",
            description = "The plan's alpha: false-rollback probability per rollout, split over guards and "
                    + "judged stages (default ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--plan", paramLabel = "PLAN.yaml",
            description = "Another benchmark plan, percentage strategy (its alpha is replaced by --alpha; "
                    + "the plan's release is simulated, 'chat' for \"*\").")
    Path planFile;

    @Option(names = "--evaluate-every", defaultValue = "1s", converter = DurationConverter.class,
            description = "How often the sequential judge is evaluated (default ${DEFAULT-VALUE}).")
    Duration sequentialEvery;

    @Option(names = "--naive-every", defaultValue = "1m", converter = DurationConverter.class,
            description = "How often the naive judge re-runs its test on the stage's data (default ${DEFAULT-VALUE}).")
    Duration naiveEvery;

    @Option(names = "--seed", defaultValue = "1", description = "Base seed; each run derives its own (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", defaultValue = "2", description = "Runs in parallel (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--out", paramLabel = "FILE.json", description = "Also write settings, summary and every run as JSON.")
    Path out;

    @Option(names = "--no-progress", description = "No progress bar (e.g. for logs).")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        Settings settings = settings();
        PrintWriter print = spec.commandLine().getOut();
        printSettings(settings, print);
        print.flush();
        long started = System.nanoTime();
        Report report;
        int total = DecisionTrials.totalRuns(settings);
        if (noProgress) {
            report = DecisionTrials.run(settings, () -> {});
        } else {
            try (ProgressBar progress = new ProgressBarBuilder().setTaskName("rollouts").setInitialMax(total)
                    .continuousUpdate().build()) {
                report = DecisionTrials.run(settings, progress::step);
            }
        }
        double wallSeconds = (System.nanoTime() - started) / 1e9;
        print.println();
        printReport(settings, report, print);
        print.printf(Locale.ROOT, "%nwall time: %s for %d rollouts on %d threads (%d cores); CPU time of the runs %s%n",
                seconds(wallSeconds), total, settings.threads(), Runtime.getRuntime().availableProcessors(),
                seconds(report.cpuSeconds()));
        if (out != null) {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, toJson(settings, report, wallSeconds));
            print.println("results: " + out);
        }
        print.flush();
        return 0;
    }

    Settings settings() throws Exception {
        RolloutPlan parsed = planFile == null
                ? PlanParser.parse(String.format(Locale.ROOT, PLAN, alpha), "benchmark-plan.yaml")
                : PlanParser.parse(planFile);
        RolloutPlan plan = new RolloutPlan(parsed.release(), parsed.baselineVersion(), parsed.canaryVersion(),
                parsed.strategy(), parsed.stages(), parsed.minStageDuration(), parsed.minSamples(), alpha,
                parsed.guards(), parsed.source());
        List<Fault> parsedFaults = new ArrayList<>();
        for (String spec : faults == null || faults.isEmpty() ? DEFAULT_FAULTS : faults) {
            parsedFaults.add(withOnset(spec, onset));
        }
        List<Fault> marginFaults = new ArrayList<>();
        if (marginFaultSpecs == null || marginFaultSpecs.isEmpty()) {
            marginFaults.addAll(DecisionTrials.marginFaults(plan));
        } else {
            for (String spec : marginFaultSpecs) {
                marginFaults.add(withOnset(spec, Duration.ZERO));
            }
        }
        return new Settings(plan, aaRuns, marginRuns, marginFaults, faultRuns, parsedFaults, duration, rateFactor,
                sequentialEvery, naiveEvery, seed, threads);
    }

    /** A fault spec, starting at {@code onset} unless it names its own {@code @start}. */
    static Fault withOnset(String spec, Duration onset) {
        Fault fault = Fault.parse(spec);
        return spec.contains("@") ? fault : new Fault(fault.kind(), fault.magnitude(), onset, fault.target());
    }

    static void printSettings(Settings settings, PrintWriter print) {
        RolloutPlan plan = settings.plan();
        print.printf(Locale.ROOT, "decision benchmark: %d A/A + %d at-margin cases x %d + %d faults x %d rollouts, "
                        + "each with both judges (%d rollouts)%n", settings.aaRuns(), settings.marginFaults().size(),
                settings.marginRuns(), settings.faults().size(), settings.faultRuns(), DecisionTrials.totalRuns(settings));
        print.printf(Locale.ROOT, "plan: %s stages %s, minStageDuration %s, minSamples %d, alpha %s "
                        + "(per comparison %.5f: %d guards x %d judged stages)%n",
                plan.strategy().type(), plan.stages().stream().map(DecisionBenchmark::number)
                        .collect(Collectors.joining(", ", "[", "]")),
                Durations.format(plan.minStageDuration()), plan.minSamples(),
                plan.alpha(), perComparisonAlpha(plan), plan.guards().size(), judgedStages(plan));
        print.println("guards (tolerated worsening): "
                + plan.guards().stream().map(Guard::describe).collect(Collectors.joining(", ")));
        print.printf(Locale.ROOT, "traffic: %s of event time per rollout at rate factor %s (~%,.0f requests/min, "
                        + "%s%% canary at first: ~%,.0f canary requests/min)%n",
                Durations.format(settings.duration()), number(settings.rateFactor()), requestsPerMinute(settings),
                number(plan.stages().get(0)), requestsPerMinute(settings) * plan.stages().get(0) / 100);
        print.printf(Locale.ROOT, "judges: sequential = confidence sequences, evaluated every %s; naive = fixed-sample "
                        + "test re-run every %s on the stage's cumulative data, same per-comparison alpha%n",
                Durations.format(settings.sequentialEvery()), Durations.format(settings.naiveEvery()));
        print.println();
    }

    static void printReport(Settings settings, Report report, PrintWriter print) {
        print.printf(Locale.ROOT, "FALSE ROLLBACKS  the canary is within every margin, so any ROLLBACK is false "
                + "(runs end at COMPLETE, ROLLBACK or %s)%n", Durations.format(settings.duration()));
        String row = "  %-32s %-11s %9s %6s  %-15s %9s %10s  %s%n";
        print.printf(Locale.ROOT, row, "scenario", "judge", "rollbacks", "rate", "95% CI (exact)", "completed",
                "median end", "rolled back by");
        List<FalseRollbacks> rows = new ArrayList<>(report.falseRollbacks());
        rows.addAll(report.atMargin());
        for (FalseRollbacks f : rows) {
            Rate r = f.falseRollbacks();
            String scenario = f.judge() != Judge.SEQUENTIAL ? ""
                    : f.scenario().equals(DecisionTrials.Scenario.AA) ? "A/A (no fault)" : f.scenario();
            print.printf(Locale.ROOT, row, scenario, f.judge().label(), r.events() + "/" + r.trials(), percent(r.rate()),
                    interval(r), f.completed() + "/" + r.trials(), duration(f.medianCompletionSeconds()),
                    by(f.rollbackBy()));
        }
        print.println("  completed = rollouts that reached 100 %; median end = their median time to COMPLETE");
        if (!report.atMargin().isEmpty()) {
            print.println("  at margin = one guard's metric made exactly as much worse as its margin tolerates, from the "
                    + "start: acceptable, but at the boundary of the test");
        }
        for (FalseRollbacks f : report.falseRollbacks()) {
            if (f.unfinished() > 0) {
                print.printf(Locale.ROOT, "  A/A %s: %d rollouts not finished at %s (at %s); not yet shown within "
                                + "the margin when they last held: %s%n", f.judge().label(), f.unfinished(),
                        Durations.format(settings.duration()), by(f.unfinishedAtStage()),
                        f.unfinishedWaitingOn().isEmpty() ? "none (still in the stage's dwell)"
                                : by(f.unfinishedWaitingOn()));
            }
        }
        print.println();
        if (!settings.faults().isEmpty()) {
            printDetection(settings, report, print);
        }
        printAim(settings, report, print);
    }

    private static void printDetection(Settings settings, Report report, PrintWriter print) {
        long onsets = settings.faults().stream().map(Fault::start).distinct().count();
        print.printf(Locale.ROOT, "DETECTION  fault in the canary from %s; detected = ROLLBACK after onset; "
                        + "time = onset to ROLLBACK%n",
                onsets == 1 ? Durations.format(settings.faults().get(0).start()) : "its @onset");
        String detectionRow = "  %-22s %-11s %9s %7s %7s %3s  %s%n";
        print.printf(Locale.ROOT, detectionRow, "fault", "judge", "detected", "median", "max", "FR", "rolled back by");
        for (Fault fault : settings.faults()) {
            String name = fault.spec();
            for (Judge judge : Judge.values()) {
                Detection d = report.detection(judge, name);
                Rate r = d.detected();
                print.printf(Locale.ROOT, detectionRow,
                        judge == Judge.SEQUENTIAL ? (onsets == 1 ? name.replaceFirst("@.*", "") : name) : "",
                        judge.label(), r.events() + "/" + r.trials(), duration(d.medianSeconds()),
                        duration(d.maxSeconds()), d.falseBeforeOnset(), by(d.rollbackBy()));
            }
        }
        print.println("  FR = rollbacks before onset (false rollbacks, not detections); rolled back by = guards named "
                + "by the detections");
        int completedEarly = report.detections().stream().mapToInt(Detection::completedBeforeOnset).sum();
        if (completedEarly > 0) {
            print.printf(Locale.ROOT, "  note: %d rollouts completed before the fault began (counted as missed)%n",
                    completedEarly);
        }
        print.println();
    }

    private static void printAim(Settings settings, Report report, PrintWriter print) {
        RolloutPlan plan = settings.plan();
        print.printf(Locale.ROOT, "aim: false rollbacks <= alpha (%s) with detection times close to the naive judge's%n",
                number(plan.alpha()));
        Rate sequential = report.falseRollbacks(Judge.SEQUENTIAL).falseRollbacks();
        Rate naive = report.falseRollbacks(Judge.NAIVE).falseRollbacks();
        print.printf(Locale.ROOT, "  A/A: sequential %s (95%% CI up to %s) %s alpha; naive %s (up to %s)%n",
                percent(sequential.rate()), percent(sequential.high()), sequential.rate() <= plan.alpha() ? "<=" : ">",
                percent(naive.rate()), percent(naive.high()));
        if (!report.atMargin().isEmpty()) {
            Rate s = report.atMargin(Judge.SEQUENTIAL, DecisionTrials.ALL_MARGINS).falseRollbacks();
            Rate n = report.atMargin(Judge.NAIVE, DecisionTrials.ALL_MARGINS).falseRollbacks();
            print.printf(Locale.ROOT, "  at a margin: sequential %s (up to %s), naive %s (up to %s); the guard at its "
                            + "margin has alpha %s per stage%n", percent(s.rate()), percent(s.high()), percent(n.rate()),
                    percent(n.high()), percent(perComparisonAlpha(plan)));
        }
        List<String> slower = new ArrayList<>();
        List<String> missed = new ArrayList<>();
        double ratioSum = 0;
        int ratios = 0;
        int detectedSequential = 0;
        int detectedNaive = 0;
        int runs = 0;
        for (Fault fault : settings.faults()) {
            Detection s = report.detection(Judge.SEQUENTIAL, fault.spec());
            Detection n = report.detection(Judge.NAIVE, fault.spec());
            String name = fault.spec().replaceFirst("@.*", "");
            detectedSequential += s.detected().events();
            detectedNaive += n.detected().events();
            runs += s.runs();
            if (s.detected().events() < n.detected().events()) {
                missed.add(name);
            }
            // Silence is no statistic: the same traffic check in both, read every second or every minute.
            if (fault.kind() != Fault.Kind.SILENCE && Double.isFinite(s.medianSeconds())
                    && Double.isFinite(n.medianSeconds()) && n.medianSeconds() > 0) {
                ratioSum += Math.log(s.medianSeconds() / n.medianSeconds());
                ratios++;
                if (s.medianSeconds() > 2 * n.medianSeconds()) {
                    slower.add(name);
                }
            }
        }
        if (runs > 0) {
            print.printf(Locale.ROOT, "  detection: sequential %d/%d, naive %d/%d; median time sequential / naive, "
                            + "geometric mean over the guard faults (silence left out): %s%n", detectedSequential, runs,
                    detectedNaive, runs,
                    ratios == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", Math.exp(ratioSum / ratios)));
        }
        if (!missed.isEmpty()) {
            print.println("  sequential detects less often on " + String.join(", ", missed));
        }
        if (!slower.isEmpty()) {
            print.println("  sequential takes over twice as long on " + String.join(", ", slower));
        }
    }

    static String toJson(Settings settings, Report report, double wallSeconds) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode s = root.putObject("settings");
        RolloutPlan plan = settings.plan();
        s.put("aaRuns", settings.aaRuns());
        s.put("marginRuns", settings.marginRuns());
        s.put("faultRuns", settings.faultRuns());
        s.put("durationSeconds", settings.duration().toSeconds());
        s.put("rateFactor", settings.rateFactor());
        s.put("sequentialEverySeconds", settings.sequentialEvery().toMillis() / 1000.0);
        s.put("naiveEverySeconds", settings.naiveEvery().toMillis() / 1000.0);
        s.put("seed", settings.seed());
        s.put("threads", settings.threads());
        ObjectNode p = s.putObject("plan");
        p.put("strategy", plan.strategy().type());
        ArrayNode stages = p.putArray("stages");
        plan.stages().forEach(stages::add);
        p.put("minStageDurationSeconds", plan.minStageDuration().toSeconds());
        p.put("minSamples", plan.minSamples());
        p.put("alpha", plan.alpha());
        p.put("perComparisonAlpha", perComparisonAlpha(plan));
        ArrayNode guards = p.putArray("guards");
        for (Guard guard : plan.guards()) {
            ObjectNode g = guards.addObject().put("metric", guard.metric().wireName());
            if (guard.isRelative()) {
                g.put("relativeMargin", guard.relativeMargin());
            } else {
                g.put("margin", guard.margin());
            }
        }
        ArrayNode marginList = s.putArray("marginFaults");
        for (Fault fault : settings.marginFaults()) {
            marginList.addObject().put("spec", fault.spec()).put("kind", fault.kind().wireName())
                    .put("magnitude", fault.magnitude());
        }
        ArrayNode faultList = s.putArray("faults");
        for (Fault fault : settings.faults()) {
            faultList.addObject().put("spec", fault.spec()).put("kind", fault.kind().wireName())
                    .put("magnitude", fault.magnitude()).put("onsetSeconds", fault.start().toSeconds());
        }
        root.put("wallSeconds", wallSeconds);
        root.put("cpuSeconds", report.cpuSeconds());
        falseRollbacksJson(root.putArray("falseRollbacks"), report.falseRollbacks());
        falseRollbacksJson(root.putArray("atMargin"), report.atMargin());
        ArrayNode detections = root.putArray("detection");
        for (Detection d : report.detections()) {
            ObjectNode o = detections.addObject().put("judge", d.judge().label()).put("fault", d.fault());
            rate(o, d.detected());
            putNumber(o, "medianSeconds", d.medianSeconds());
            putNumber(o, "maxSeconds", d.maxSeconds());
            o.put("falseRollbacksBeforeOnset", d.falseBeforeOnset());
            o.put("completedBeforeOnset", d.completedBeforeOnset());
            o.set("rollbackBy", Json.MAPPER.valueToTree(d.rollbackBy()));
        }
        ArrayNode runs = root.putArray("runs");
        for (Run run : report.runs()) {
            ObjectNode o = runs.addObject().put("judge", run.judge().label()).put("scenario", run.scenario())
                    .put("seed", run.seed()).put("outcome", run.outcome().name())
                    .put("endSeconds", run.endMillis() / 1000.0).put("finalStage", run.finalStage())
                    .put("promotions", run.promotions());
            ArrayNode by = o.putArray("rollbackBy");
            run.rollbackBy().forEach(by::add);
            ArrayNode waiting = o.putArray("waitingOn");
            run.waitingOn().forEach(waiting::add);
        }
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the results as JSON", e);
        }
    }

    private static void falseRollbacksJson(ArrayNode array, List<FalseRollbacks> rows) {
        for (FalseRollbacks f : rows) {
            ObjectNode o = array.addObject().put("judge", f.judge().label()).put("scenario", f.scenario());
            rate(o, f.falseRollbacks());
            o.put("completed", f.completed());
            putNumber(o, "medianCompletionSeconds", f.medianCompletionSeconds());
            o.set("rollbackBy", Json.MAPPER.valueToTree(f.rollbackBy()));
            o.put("unfinished", f.unfinished());
            o.set("unfinishedAtStage", Json.MAPPER.valueToTree(f.unfinishedAtStage()));
            o.set("unfinishedWaitingOn", Json.MAPPER.valueToTree(f.unfinishedWaitingOn()));
        }
    }

    private static void rate(ObjectNode o, Rate r) {
        o.put("runs", r.trials());
        o.put("count", r.events());
        putNumber(o, "rate", r.rate());
        putNumber(o, "ci95Low", r.low());
        putNumber(o, "ci95High", r.high());
    }

    /** JSON has no NaN: an undefined figure (e.g. the median of no detections) is null. */
    private static void putNumber(ObjectNode o, String name, double value) {
        if (Double.isFinite(value)) {
            o.put(name, value);
        } else {
            o.putNull(name);
        }
    }

    static double perComparisonAlpha(RolloutPlan plan) {
        return AlphaBudget.forPlan(plan.alpha(), plan.guards().size(),
                plan.stages().stream().mapToDouble(Double::doubleValue).toArray()).perComparison(0, 0);
    }

    static int judgedStages(RolloutPlan plan) {
        return (int) plan.stages().stream().filter(p -> p < 100).count();
    }

    /** The trace has 8,819 requests an hour at rate factor 1. */
    static double requestsPerMinute(Settings settings) {
        return io.graylight.simulator.AzureTrace.load().size() * settings.rateFactor() / 60.0;
    }

    private static String by(Map<String, Integer> counts) {
        return counts.isEmpty() ? "-" : counts.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String percent(double rate) {
        return Double.isNaN(rate) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * rate);
    }

    private static String interval(Rate r) {
        return Double.isNaN(r.rate()) ? "n/a" : String.format(Locale.ROOT, "[%.1f%%, %.1f%%]", 100 * r.low(),
                100 * r.high());
    }

    /** Seconds as {@code 42s} or {@code 3m05s}; {@code -} when undefined. */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "-";
        }
        long s = Math.round(seconds);
        return s < 60 ? s + "s" : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    private static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.1f s", seconds);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
