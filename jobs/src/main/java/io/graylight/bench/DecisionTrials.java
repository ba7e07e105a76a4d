package io.graylight.bench;

import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.Evidence;
import io.graylight.rollout.Decision;
import io.graylight.rollout.RolloutSimulation;
import io.graylight.rollout.plan.Guard;
import io.graylight.rollout.plan.RolloutPlan;
import io.graylight.simulator.Durations;
import io.graylight.simulator.Fault;
import io.graylight.simulator.SimulationConfig;
import io.graylight.stats.GuardComparison;
import io.graylight.stats.GuardJudge;
import io.graylight.stats.GuardSpec;
import io.graylight.stats.RepeatedFixedSampleJudge;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.commons.math3.distribution.BetaDistribution;

/**
 * The engine of the decision benchmark, without the command line: many simulated rollouts, each
 * driven in-process by {@link RolloutSimulation} through the same {@code Rollout} state machine the
 * decision job runs, once with the anytime-valid judge and once with the naive one on the same
 * seeds, then summed up. Every run has its own seed, and results are kept in task order, so the
 * figures do not depend on how the thread pool schedules the runs.
 */
public final class DecisionTrials {

    /** The two judges compared. */
    public enum Judge {
        /** {@link GuardComparison}: confidence sequences, evaluated every {@code sequentialEvery}. */
        SEQUENTIAL("sequential"),
        /** {@link RepeatedFixedSampleJudge}: a fixed-sample test re-run every {@code naiveEvery}. */
        NAIVE("naive");

        private final String label;

        Judge(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** How a run ended. */
    public enum Outcome { ROLLBACK, COMPLETE, UNFINISHED }

    /**
     * What to run.
     *
     * @param plan the rollout plan both judges follow
     * @param aaRuns rollouts without a fault, per judge
     * @param marginRuns rollouts per at-the-margin case, per judge
     * @param marginFaults canary faults that make one guard exactly as bad as its margin tolerates,
     *     from the start: still a canary to keep, so a rollback is false (see {@link #marginFaults})
     * @param faultRuns rollouts per fault, per judge
     * @param faults the canary faults, each with its onset
     * @param duration event time simulated per run (a run also ends at COMPLETE or ROLLBACK)
     * @param rateFactor trace speed-up, which sets the request rate
     * @param sequentialEvery how often the sequential judge is evaluated
     * @param naiveEvery how often the naive judge is re-run on the stage's cumulative data
     * @param seed base seed; run {@code i} of a scenario gets a seed derived from it
     * @param threads size of the thread pool over runs
     */
    public record Settings(RolloutPlan plan, int aaRuns, int marginRuns, List<Fault> marginFaults, int faultRuns,
            List<Fault> faults, Duration duration, double rateFactor, Duration sequentialEvery, Duration naiveEvery,
            long seed, int threads) {

        public Settings {
            marginFaults = List.copyOf(marginFaults);
            faults = List.copyOf(faults);
            if (aaRuns < 0 || marginRuns < 0 || faultRuns < 0 || threads < 1) {
                throw new IllegalArgumentException("runs must be >= 0 and threads >= 1");
            }
        }
    }

    /** What a scenario asks. */
    public enum Kind {
        /** No fault: canary and baseline are the same. */
        AA,
        /** One guard exactly at its margin from the start: the canary is still acceptable. */
        MARGIN,
        /** A clear regression from its onset on: the canary must go. */
        FAULT
    }

    /** One scenario: no fault (A/A), a canary at a margin, or a canary fault. */
    public record Scenario(Kind kind, String name, Fault fault) {
        public static final String AA = "A/A";

        public boolean isAa() {
            return kind == Kind.AA;
        }

        public long onsetMillis() {
            return fault == null ? Long.MAX_VALUE : fault.start().toMillis();
        }
    }

    /**
     * One simulated rollout.
     *
     * @param endMillis event time of the final decision after the simulation start, or of the
     *     last decision for an unfinished run
     * @param rollbackBy what a rollback named: the guard metrics of its evidence, or {@code silence}
     * @param waitingOn for an unfinished run, the guards its last "inconclusive" hold named as not yet
     *     shown within their margin (as of that hold, which is said once per stage)
     */
    public record Run(Judge judge, String scenario, long seed, Outcome outcome, long endMillis, int finalStage,
            int promotions, List<String> rollbackBy, List<String> waitingOn) {}

    /** A rate with its Clopper-Pearson (exact binomial) 95 % interval. */
    public record Rate(int events, int trials, double rate, double low, double high) {
        static Rate of(int events, int trials) {
            if (trials == 0) {
                return new Rate(0, 0, Double.NaN, Double.NaN, Double.NaN);
            }
            double low = events == 0 ? 0 : new BetaDistribution(null, events, trials - events + 1)
                    .inverseCumulativeProbability(0.025);
            double high = events == trials ? 1 : new BetaDistribution(null, events + 1, trials - events)
                    .inverseCumulativeProbability(0.975);
            return new Rate(events, trials, (double) events / trials, low, high);
        }
    }

    /**
     * The false rollbacks of one judge in one scenario where the canary is acceptable (A/A or at a
     * margin), or pooled over the at-the-margin cases.
     */
    public record FalseRollbacks(Judge judge, String scenario, Rate falseRollbacks, int completed,
            double medianCompletionSeconds, Map<String, Integer> rollbackBy, Map<String, Integer> unfinishedAtStage,
            Map<String, Integer> unfinishedWaitingOn) {

        public int unfinished() {
            return falseRollbacks.trials() - falseRollbacks.events() - completed;
        }
    }

    /** The figures of one judge on one fault. */
    public record Detection(Judge judge, String fault, int runs, Rate detected, double medianSeconds,
            double maxSeconds, int falseBeforeOnset, int completedBeforeOnset, Map<String, Integer> rollbackBy) {}

    /** Name of the row that pools every at-the-margin case. */
    public static final String ALL_MARGINS = "all at-margin cases";

    /**
     * Everything the benchmark found.
     *
     * @param falseRollbacks the A/A rows, one per judge
     * @param atMargin one row per judge and at-the-margin case, then the pooled rows ({@link #ALL_MARGINS})
     * @param cpuSeconds CPU time the runs took, summed over threads (wall time is at best this over the threads)
     */
    public record Report(List<FalseRollbacks> falseRollbacks, List<FalseRollbacks> atMargin, List<Detection> detections,
            List<Run> runs, double cpuSeconds) {

        public FalseRollbacks falseRollbacks(Judge judge) {
            return falseRollbacks.stream().filter(f -> f.judge() == judge).findFirst().orElseThrow();
        }

        public FalseRollbacks atMargin(Judge judge, String scenario) {
            return atMargin.stream().filter(f -> f.judge() == judge && f.scenario().equals(scenario)).findFirst()
                    .orElseThrow();
        }

        public Detection detection(Judge judge, String fault) {
            return detections.stream().filter(d -> d.judge() == judge && d.fault().equals(fault)).findFirst()
                    .orElseThrow();
        }
    }

    private DecisionTrials() {}

    /** The scenarios in order: A/A, the at-the-margin cases, then the faults. */
    public static List<Scenario> scenarios(Settings settings) {
        List<Scenario> scenarios = new ArrayList<>();
        scenarios.add(new Scenario(Kind.AA, Scenario.AA, null));
        for (Fault fault : settings.marginFaults()) {
            scenarios.add(new Scenario(Kind.MARGIN, marginName(fault), fault));
        }
        for (Fault fault : settings.faults()) {
            scenarios.add(new Scenario(Kind.FAULT, fault.spec(), fault));
        }
        return scenarios;
    }

    static String marginName(Fault fault) {
        return "at margin: " + fault.spec().replaceFirst("@.*", "");
    }

    public static int totalRuns(Settings settings) {
        return 2 * (settings.aaRuns() + settings.marginRuns() * settings.marginFaults().size()
                + settings.faultRuns() * settings.faults().size());
    }

    private static int runsOf(Settings settings, Scenario scenario) {
        return switch (scenario.kind()) {
            case AA -> settings.aaRuns();
            case MARGIN -> settings.marginRuns();
            case FAULT -> settings.faultRuns();
        };
    }

    /**
     * Canary faults, present from the start, that make one guard of {@code plan} exactly as much
     * worse as its margin tolerates, where a fault kind does just that: error_rate (absolute margin
     * m: {@code error_rate=m}), ttft_p95 or ttft_p50 (relative m: {@code ttft=1+m}), cost_per_request
     * (relative m: {@code cost=1+m}), quality_score (absolute m: {@code quality_drop=m}) and
     * negative_feedback_rate (absolute m: {@code negative_feedback=m}). Such a canary is acceptable
     * by the plan's own terms, so a rollback is a false one; the null hypothesis is then at its
     * boundary, where repeated fixed-sample tests lose their level, unlike in an A/A run where
     * every guard is far inside its margin. Side effects on other guards are small (a TTFT fault
     * adds at most its share of the latency; a quality drop of m adds 2m to the thumbs-down rate)
     * but are not checked here.
     */
    public static List<Fault> marginFaults(RolloutPlan plan) {
        List<Fault> faults = new ArrayList<>();
        for (Guard guard : plan.guards()) {
            double m = guard.isRelative() ? guard.relativeMargin() : guard.margin();
            if (!(m > 0)) {
                continue;
            }
            Fault.Kind kind = switch (guard.metric()) {
                case ERROR_RATE -> guard.isRelative() ? null : Fault.Kind.ERROR_RATE;
                case TTFT_P50, TTFT_P95 -> guard.isRelative() ? Fault.Kind.TTFT : null;
                case COST_PER_REQUEST -> guard.isRelative() ? Fault.Kind.COST : null;
                case QUALITY_SCORE -> guard.isRelative() ? null : Fault.Kind.QUALITY_DROP;
                case NEGATIVE_FEEDBACK_RATE -> guard.isRelative() ? null : Fault.Kind.NEGATIVE_FEEDBACK;
                default -> null;
            };
            if (kind == null || faults.stream().anyMatch(f -> f.kind() == kind)) {
                continue;
            }
            double magnitude = kind == Fault.Kind.TTFT || kind == Fault.Kind.COST ? 1 + m : m;
            faults.add(Fault.of(kind, magnitude, Duration.ZERO));
        }
        return faults;
    }

    /**
     * Runs every rollout on a pool of {@code settings.threads()} threads.
     *
     * @param onRunDone called (from a worker thread) after each run, e.g. to step a progress bar
     */
    public static Report run(Settings settings, Runnable onRunDone) throws InterruptedException {
        record Task(Judge judge, Scenario scenario, long seed) {}
        List<Task> tasks = new ArrayList<>();
        List<Scenario> scenarios = scenarios(settings);
        for (int s = 0; s < scenarios.size(); s++) {
            Scenario scenario = scenarios.get(s);
            int runs = runsOf(settings, scenario);
            for (int i = 0; i < runs; i++) {
                // The same seeds for both judges: a paired comparison on the same traffic.
                long seed = settings.seed() + 1_000_000L * s + i;
                for (Judge judge : Judge.values()) {
                    tasks.add(new Task(judge, scenario, seed));
                }
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(settings.threads(), r -> {
            Thread thread = new Thread(r, "decision-bench");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Run>> futures = new ArrayList<>();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            DoubleAdder cpuSeconds = new DoubleAdder();
            for (Task task : tasks) {
                futures.add(pool.submit(() -> {
                    long cpuStart = threads.getCurrentThreadCpuTime();
                    Run run = runOne(settings, task.judge(), task.scenario(), task.seed());
                    cpuSeconds.add((threads.getCurrentThreadCpuTime() - cpuStart) / 1e9);
                    onRunDone.run();
                    return run;
                }));
            }
            List<Run> runs = new ArrayList<>();
            for (Future<Run> future : futures) {
                try {
                    runs.add(future.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a benchmark run failed", e.getCause());
                }
            }
            return summarize(settings, scenarios, runs, cpuSeconds.sum());
        } finally {
            pool.shutdownNow();
        }
    }

    /** One rollout of one judge on one scenario's traffic. */
    static Run runOne(Settings settings, Judge judge, Scenario scenario, long seed) {
        SimulationConfig.Builder traffic = SimulationConfig.builder()
                .seed(seed)
                .release(settings.plan().isForAllReleases() ? "chat" : settings.plan().release())
                .rateFactor(settings.rateFactor())
                .duration(settings.duration());
        if (!scenario.isAa()) {
            traffic.fault(scenario.fault());
        }
        SimulationConfig config = traffic.build();
        Function<GuardSpec, GuardJudge> judges = judge == Judge.SEQUENTIAL ? GuardComparison::new
                : RepeatedFixedSampleJudge::new;
        long every = (judge == Judge.SEQUENTIAL ? settings.sequentialEvery() : settings.naiveEvery()).toMillis();
        List<Decision> decisions = new RolloutSimulation(settings.plan(), judges, every).run(config);
        if (decisions.isEmpty()) {
            throw new IllegalStateException("no telemetry in " + Durations.format(settings.duration())
                    + " of event time at rate factor " + settings.rateFactor());
        }
        long start = config.start().toEpochMilli();
        Decision last = decisions.get(decisions.size() - 1);
        Outcome outcome = switch (last.action()) {
            case ROLLBACK -> Outcome.ROLLBACK;
            case COMPLETE -> Outcome.COMPLETE;
            default -> Outcome.UNFINISHED;
        };
        int promotions = (int) decisions.stream().filter(d -> d.action() == Action.PROMOTE).count();
        List<String> by = outcome != Outcome.ROLLBACK ? List.of()
                : last.reason().startsWith("silent canary") ? List.of("silence")
                : last.evidence().stream().map(Evidence::metric).toList();
        List<String> waitingOn = List.of();
        if (outcome == Outcome.UNFINISHED) {
            for (Decision d : decisions) {
                if (d.action() == Action.HOLD && d.stage() == last.stage() && d.reason().startsWith(INCONCLUSIVE)) {
                    waitingOn = guardsNamed(d.reason().substring(INCONCLUSIVE.length()), settings.plan());
                }
            }
        }
        return new Run(judge, scenario.name(), seed, outcome, last.eventTimeMillis() - start, last.stage(), promotions,
                by, waitingOn);
    }

    /** How {@code Rollout} begins a hold for guards not yet shown within their margins. */
    static final String INCONCLUSIVE = "not yet shown within the margin: ";

    /** The guards "metric: ...; metric: ..." names, in the plan's order. */
    private static List<String> guardsNamed(String text, RolloutPlan plan) {
        List<String> named = Arrays.stream(text.split("; ")).map(part -> part.substring(0, Math.max(0, part.indexOf(':'))))
                .toList();
        return plan.guards().stream().map(g -> g.metric().wireName()).filter(named::contains).toList();
    }

    static Report summarize(Settings settings, List<Scenario> scenarios, List<Run> runs, double cpuSeconds) {
        List<FalseRollbacks> aa = new ArrayList<>();
        List<FalseRollbacks> atMargin = new ArrayList<>();
        List<Detection> detections = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            for (Judge judge : Judge.values()) {
                List<Run> mine = runs.stream()
                        .filter(r -> r.judge() == judge && r.scenario().equals(scenario.name())).toList();
                switch (scenario.kind()) {
                    case AA -> aa.add(falseRollbacks(settings.plan(), judge, scenario.name(), mine));
                    case MARGIN -> atMargin.add(falseRollbacks(settings.plan(), judge, scenario.name(), mine));
                    case FAULT -> detections.add(detection(judge, scenario, mine));
                }
            }
        }
        if (!settings.marginFaults().isEmpty()) {
            List<String> names = scenarios.stream().filter(s -> s.kind() == Kind.MARGIN).map(Scenario::name).toList();
            for (Judge judge : Judge.values()) {
                atMargin.add(falseRollbacks(settings.plan(), judge, ALL_MARGINS,
                        runs.stream().filter(r -> r.judge() == judge && names.contains(r.scenario())).toList()));
            }
        }
        return new Report(aa, atMargin, detections, runs, cpuSeconds);
    }

    private static FalseRollbacks falseRollbacks(RolloutPlan plan, Judge judge, String scenario, List<Run> runs) {
        int rollbacks = (int) runs.stream().filter(r -> r.outcome() == Outcome.ROLLBACK).count();
        double[] completion = runs.stream().filter(r -> r.outcome() == Outcome.COMPLETE)
                .mapToDouble(r -> r.endMillis() / 1000.0).toArray();
        List<Run> unfinished = runs.stream().filter(r -> r.outcome() == Outcome.UNFINISHED).toList();
        Map<String, Integer> atStage = new LinkedHashMap<>();
        for (int stage = 0; stage < plan.stages().size(); stage++) {
            int at = stage;
            int n = (int) unfinished.stream().filter(r -> r.finalStage() == at).count();
            if (n > 0) {
                atStage.put(percentLabel(plan.stages().get(stage)), n);
            }
        }
        return new FalseRollbacks(judge, scenario, Rate.of(rollbacks, runs.size()), completion.length,
                median(completion), count(runs.stream().map(Run::rollbackBy).toList()), atStage,
                count(unfinished.stream().map(Run::waitingOn).toList()));
    }

    static String percentLabel(double percent) {
        return (percent == Math.rint(percent) ? String.valueOf((long) percent) : String.valueOf(percent)) + "%";
    }

    private static Detection detection(Judge judge, Scenario scenario, List<Run> runs) {
        long onset = scenario.onsetMillis();
        List<Run> detected = runs.stream()
                .filter(r -> r.outcome() == Outcome.ROLLBACK && r.endMillis() >= onset).toList();
        int falseBefore = (int) runs.stream()
                .filter(r -> r.outcome() == Outcome.ROLLBACK && r.endMillis() < onset).count();
        int completedBefore = (int) runs.stream()
                .filter(r -> r.outcome() == Outcome.COMPLETE && r.endMillis() < onset).count();
        double[] delays = detected.stream().mapToDouble(r -> (r.endMillis() - onset) / 1000.0).toArray();
        return new Detection(judge, scenario.name(), runs.size(), Rate.of(detected.size(), runs.size()),
                median(delays), Arrays.stream(delays).max().orElse(Double.NaN), falseBefore, completedBefore,
                count(detected.stream().map(Run::rollbackBy).toList()));
    }

    /** How often each guard (or silence) was named, most frequent first. */
    private static Map<String, Integer> count(List<List<String>> names) {
        Map<String, Integer> counts = new TreeMap<>();
        for (List<String> some : names) {
            for (String metric : some) {
                counts.merge(metric, 1, Integer::sum);
            }
        }
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
