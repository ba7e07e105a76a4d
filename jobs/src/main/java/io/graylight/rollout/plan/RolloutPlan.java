package io.graylight.rollout.plan;

import io.graylight.contracts.decision.Strategy;
import io.graylight.contracts.routing.ScheduleWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A rollout plan (DESIGN.md "Rollout plan (YAML)"), as {@link PlanParser} reads it from a plan
 * file. Defaults for fields the file leaves out:
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><td>{@code strategy}</td><td>{@code percentage}</td></tr>
 *   <tr><td>{@code stages}</td><td>{@code [1, 5, 25, 50, 100]}</td></tr>
 *   <tr><td>{@code minStageDuration}</td><td>{@code 10m}</td></tr>
 *   <tr><td>{@code minSamples}</td><td>{@code 500} canary requests per stage</td></tr>
 *   <tr><td>{@code alpha}</td><td>{@code 0.01}</td></tr>
 *   <tr><td>{@code guards}</td><td>{@link #DEFAULT_GUARDS}: error_rate +0.002, timeout_rate +0.002,
 *       latency_p95 +10%, latency_p99 +20%, ttft_p95 +10%, cost_per_request +10%,
 *       quality_score -0.02, negative_feedback_rate +0.02</td></tr>
 * </table>
 * A plan with {@code guards} replaces the default set; it does not add to it.
 *
 * @param release the release id, or {@value #ALL_RELEASES} for every release seen in the telemetry
 * @param baselineVersion optional: the version the baseline cohort serves, for checks and messages
 * @param canaryVersion optional: the version the canary cohort serves
 * @param strategy who is eligible for the canary (type and parameters as in the plan)
 * @param stages the canary's share of traffic, in percent, stage by stage; rising, each in (0, 100]
 * @param minStageDuration the dwell at a stage before a promotion may happen
 * @param minSamples canary requests at a stage before a promotion may happen
 * @param alpha the tolerated probability of a false rollback over the whole rollout, all guards
 *     and stages together, in (0, 0.5]
 * @param guards the canary-vs-baseline comparisons, at most one per metric
 * @param source where the plan came from (a file name), for messages
 */
public record RolloutPlan(
        String release,
        String baselineVersion,
        String canaryVersion,
        Strategy strategy,
        List<Double> stages,
        Duration minStageDuration,
        long minSamples,
        double alpha,
        List<Guard> guards,
        String source) {

    /** The release id of a plan for every release in the telemetry. */
    public static final String ALL_RELEASES = "*";

    public static final List<Double> DEFAULT_STAGES = List.of(1.0, 5.0, 25.0, 50.0, 100.0);
    public static final Duration DEFAULT_MIN_STAGE_DURATION = Duration.ofMinutes(10);
    public static final long DEFAULT_MIN_SAMPLES = 500;
    public static final double DEFAULT_ALPHA = 0.01;
    public static final double MAX_ALPHA = 0.5;

    /**
     * The guards of a plan without {@code guards}: the failure rates an LLM rollout breaks most
     * often (errors and timeouts, within 0.2 percentage points), tail latency and time to first
     * token (p95 within 10 %, p99 within 20 %: the p99 is noisier), cost within 10 %, and the
     * user-facing quality signals (evaluator score within 0.02, thumbs-down rate within 2 points).
     * Guards whose metric the telemetry does not carry (ttft without streaming, quality without an
     * evaluator) have no observations.
     */
    public static final List<Guard> DEFAULT_GUARDS = List.of(
            Guard.absolute(GuardMetric.ERROR_RATE, 0.002),
            Guard.absolute(GuardMetric.TIMEOUT_RATE, 0.002),
            Guard.relative(GuardMetric.LATENCY_P95, 0.10),
            Guard.relative(GuardMetric.LATENCY_P99, 0.20),
            Guard.relative(GuardMetric.TTFT_P95, 0.10),
            Guard.relative(GuardMetric.COST_PER_REQUEST, 0.10),
            Guard.absolute(GuardMetric.QUALITY_SCORE, 0.02),
            Guard.absolute(GuardMetric.NEGATIVE_FEEDBACK_RATE, 0.02));

    public RolloutPlan {
        if (release == null || release.isBlank()) {
            throw new IllegalArgumentException("release must not be blank");
        }
        Objects.requireNonNull(strategy, "strategy");
        if (StrategyType.fromWire(strategy.type()).isEmpty()) {
            throw new IllegalArgumentException("unknown strategy " + strategy.type());
        }
        strategy = copy(strategy);
        stages = List.copyOf(stages);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("stages must not be empty");
        }
        double previous = 0;
        for (double stage : stages) {
            if (!(stage > previous && stage <= 100)) {
                throw new IllegalArgumentException("stages must rise strictly within (0, 100]: " + stages);
            }
            previous = stage;
        }
        Objects.requireNonNull(minStageDuration, "minStageDuration");
        if (minStageDuration.isNegative()) {
            throw new IllegalArgumentException("minStageDuration must be >= 0");
        }
        if (minSamples < 0) {
            throw new IllegalArgumentException("minSamples must be >= 0");
        }
        if (!(alpha > 0 && alpha <= MAX_ALPHA)) {
            throw new IllegalArgumentException("alpha must be in (0, " + MAX_ALPHA + "]: " + alpha);
        }
        guards = List.copyOf(guards);
        if (guards.isEmpty()) {
            throw new IllegalArgumentException("a plan needs at least one guard");
        }
        if (guards.stream().map(Guard::metric).distinct().count() != guards.size()) {
            throw new IllegalArgumentException("at most one guard per metric: " + guards);
        }
        source = source == null ? "<plan>" : source;
    }

    /** A plan of the defaults for {@code release}. */
    public static RolloutPlan defaults(String release, String source) {
        return new RolloutPlan(release, null, null, Strategy.percentage(), DEFAULT_STAGES, DEFAULT_MIN_STAGE_DURATION,
                DEFAULT_MIN_SAMPLES, DEFAULT_ALPHA, DEFAULT_GUARDS, source);
    }

    /** A copy: {@link Strategy} is mutable, the plan is not. */
    @Override
    public Strategy strategy() {
        return copy(strategy);
    }

    public StrategyType strategyType() {
        return StrategyType.fromWire(strategy.type()).orElseThrow();
    }

    public boolean isForAllReleases() {
        return ALL_RELEASES.equals(release);
    }

    public boolean appliesTo(String releaseId) {
        return isForAllReleases() || release.equals(releaseId);
    }

    /** This plan for one concrete release: a {@code *} plan takes the release's name. */
    public RolloutPlan forRelease(String releaseId) {
        if (!appliesTo(releaseId)) {
            throw new IllegalArgumentException("plan " + source + " is for release " + release + ", not " + releaseId);
        }
        return releaseId.equals(release) ? this : new RolloutPlan(releaseId, baselineVersion, canaryVersion, strategy,
                stages, minStageDuration, minSamples, alpha, guards, source);
    }

    /** The canary percent of stage {@code index}, counting from 0. */
    public double stagePercent(int index) {
        return stages.get(index);
    }

    public int lastStageIndex() {
        return stages.size() - 1;
    }

    public Optional<Guard> guard(GuardMetric metric) {
        return guards.stream().filter(g -> g.metric() == metric).findFirst();
    }

    /** The windows of a {@code schedule} strategy, parsed; empty for other strategies. */
    public List<ScheduleWindow> scheduleWindows() {
        if (strategyType() != StrategyType.SCHEDULE) {
            return List.of();
        }
        List<ScheduleWindow> windows = new ArrayList<>();
        for (Object window : (List<?>) strategy.parameters().get("windows")) {
            windows.add(ScheduleWindow.parse(String.valueOf(window)));
        }
        return windows;
    }

    private static Strategy copy(Strategy strategy) {
        Strategy copy = new Strategy(strategy.type());
        strategy.parameters().forEach((name, value) -> copy.with(name, value instanceof List<?> list ? List.copyOf(list) : value));
        return copy;
    }
}
