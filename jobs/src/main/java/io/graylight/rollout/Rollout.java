package io.graylight.rollout;

import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.alert.AlertSource;
import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.Evidence;
import io.graylight.contracts.telemetry.Cohort;
import io.graylight.contracts.telemetry.RequestStatus;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.rollout.plan.Guard;
import io.graylight.rollout.plan.GuardMetric;
import io.graylight.rollout.plan.RolloutPlan;
import io.graylight.rollout.plan.StrategyType;
import io.graylight.stats.AlphaBudget;
import io.graylight.stats.GuardComparison;
import io.graylight.stats.GuardEvidence;
import io.graylight.stats.GuardJudge;
import io.graylight.stats.GuardSpec;
import io.graylight.stats.Verdict;
import java.util.ArrayList;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One release's rollout: the plan, the current stage, and the evidence gathered in it. A plain
 * state machine with no Flink in it, so that the job, replay and the benchmarks drive the very
 * same logic; {@link RolloutJudge} keeps one per release in keyed state.
 *
 * <p>Every stage starts fresh guard comparisons, each at its share of the plan's alpha
 * ({@link AlphaBudget}), so the chance of any false rollback over the whole rollout stays within
 * alpha however often it is evaluated. Promotion asks the opposite question (is the canary shown
 * within every margin?) at its own risk, {@value #PROMOTION_RISK} per stage shared by the guards: a
 * wrong promotion moves the canary one stage on, where the judge keeps watching with more data,
 * while a wrong rollback throws a good release away, so the latter gets the plan's stricter alpha.
 * In order of precedence, an evaluation:
 * <ol>
 *   <li>rolls back when the canary falls silent while the baseline flows, or when any guard shows
 *       the canary worse than the baseline beyond its margin (also while paused: safety first);
 *   <li>holds while the baseline itself is degraded (an incident hits both cohorts; the canary is
 *       not to blame, but nothing can be judged safe either), while an alert that asks for a hold
 *       lasts ({@link #onAlert}), or while the observed traffic split is grossly off the plan's
 *       (sample-ratio mismatch: the router, not the canary, is suspect);
 *   <li>promotes once the stage has lasted {@code minStageDuration}, has {@code minSamples} canary
 *       requests, and every guard's confidence bound puts the canary within its margin;
 *   <li>otherwise holds, saying which guards are still inconclusive, once the dwell is over.
 * </ol>
 */
public final class Rollout {

    /** Chance per stage of promoting a canary that is in truth worse than a margin. */
    public static final double PROMOTION_RISK = 0.05;

    /** How long a hold alert blocks promotions when it does not say ({@code holdUntil} absent). */
    public static final Duration DEFAULT_ALERT_HOLD = Duration.ofMinutes(5);

    private final RolloutPlan plan;
    private final AlphaBudget budget;
    private final List<GuardJudge> guards;
    private int stage;
    private boolean paused;
    /** The reason of the HOLD last emitted in this stage, so that a hold is said once, not every second. */
    private String heldFor;
    private long lastEventMillis = Long.MIN_VALUE;
    private final CohortTraffic traffic;
    /** Event time until which an alert blocks promotions, and what it said; MIN_VALUE/null when none. */
    private long alertHoldUntil;
    private String alertHoldReason;

    Rollout(RolloutPlan plan, List<GuardJudge> guards, int stage, boolean paused, String heldFor,
            long lastEventMillis, CohortTraffic traffic, long alertHoldUntil, String alertHoldReason) {
        this.plan = plan;
        this.budget = AlphaBudget.forPlan(plan.alpha(), Math.max(1, plan.guards().size()),
                plan.stages().stream().mapToDouble(Double::doubleValue).toArray());
        this.guards = guards;
        this.stage = stage;
        this.paused = paused;
        this.heldFor = heldFor;
        this.lastEventMillis = lastEventMillis;
        this.traffic = traffic;
        this.alertHoldUntil = alertHoldUntil;
        this.alertHoldReason = alertHoldReason;
    }

    /** A new rollout with the sequential judges; {@link #startDecision} is its first decision. */
    public static Rollout start(RolloutPlan plan, long eventTimeMillis) {
        return start(plan, eventTimeMillis, GuardComparison::new);
    }

    /** With another judge per guard, e.g. the naive fixed-sample one the benchmark compares with. */
    public static Rollout start(RolloutPlan plan, long eventTimeMillis, Function<GuardSpec, GuardJudge> judges) {
        List<GuardJudge> guards = new ArrayList<>();
        for (Guard guard : plan.guards()) {
            guards.add(judges.apply(specOf(guard, plan)));
        }
        CohortTraffic traffic = new CohortTraffic();
        traffic.startStage(eventTimeMillis);
        return new Rollout(plan, guards, 0, false, null, eventTimeMillis, traffic, Long.MIN_VALUE, null);
    }

    static GuardSpec specOf(Guard guard, RolloutPlan plan) {
        // Tune the mixtures for the sample size at which promotion is first possible.
        return GuardSpec.forPlanMetric(guard.metric().wireName(), guard.margin(), guard.relativeMargin())
                .withDesign(Math.max(100, plan.minSamples()), 0.001);
    }

    public Decision startDecision() {
        return decision(Action.START, String.format(Locale.ROOT, "rollout started (%s): stages %s, guards %s, alpha %s",
                plan.source() == null ? "plan" : plan.source(), plan.stages(),
                plan.guards().stream().map(g -> g.metric().wireName()).collect(Collectors.joining(", ")),
                plan.alpha()), List.of());
    }

    public RolloutPlan plan() {
        return plan;
    }

    public int stage() {
        return stage;
    }

    public double canaryPercent() {
        return plan.stages().get(stage);
    }

    public boolean paused() {
        return paused;
    }

    public long lastEventMillis() {
        return lastEventMillis;
    }

    /** Feeds one telemetry event of this release into the stage's evidence. */
    public void observe(TelemetryEvent event) {
        long t = event.timestampMillis();
        lastEventMillis = Math.max(lastEventMillis, t);
        boolean canary = event.cohort() == Cohort.CANARY;
        if (event.isRequest()) {
            RequestStatus status = event.status();
            boolean failed = status == RequestStatus.ERROR || status == RequestStatus.TIMEOUT
                    || status == RequestStatus.RATE_LIMITED;
            traffic.onRequest(canary, t, failed, event.latencyMs());
        }
        for (int g = 0; g < guards.size(); g++) {
            OptionalDouble value = plan.guards().get(g).metric().observe(event);
            if (value.isPresent()) {
                guards.get(g).observe(canary, value.getAsDouble());
            }
        }
    }

    /**
     * Judges the stage at event time {@code nowMillis}; at most one decision. Verdicts are read
     * first (each needs one side of the bounds) and the full evidence only for a decision that is
     * emitted, since most evaluations, once a second, decide nothing.
     */
    public Optional<Decision> evaluate(long nowMillis) {
        Optional<String> silence = traffic.silence(nowMillis, canaryPercent());
        if (silence.isPresent()) {
            return Optional.of(rollback("silent canary: " + silence.get(), List.of(), nowMillis));
        }
        List<Integer> worse = new ArrayList<>();
        for (int g = 0; g < guards.size(); g++) {
            if (guards.get(g).verdict(alpha(g)) == Verdict.WORSE) {
                worse.add(g);
            }
        }
        if (!worse.isEmpty()) {
            List<GuardEvidence> evidence = worse.stream().map(g -> guards.get(g).evidence(alpha(g))).toList();
            return Optional.of(rollback("canary worse than baseline beyond the margin: " + describe(evidence, Bound.LOWER),
                    contract(evidence, Bound.LOWER), nowMillis));
        }
        if (paused) {
            return Optional.empty();
        }
        Optional<String> incident = traffic.baselineIncident(nowMillis);
        if (incident.isPresent()) {
            return hold("incident", () -> incident.get(), () -> contract(rollbackEvidence(), Bound.UPPER), nowMillis);
        }
        if (nowMillis < alertHoldUntil) {
            return hold("alert", () -> alertHoldReason, List::of, nowMillis);
        }
        if (plan.strategyType() == StrategyType.PERCENTAGE) {
            Optional<String> mismatch = traffic.sampleRatioMismatch(canaryPercent());
            if (mismatch.isPresent()) {
                return hold("srm", mismatch::get, List::of, nowMillis);
            }
        }
        if (nowMillis - traffic.stageStartMillis < plan.minStageDuration().toMillis()) {
            return Optional.empty();
        }
        if (traffic.canaryRequests < plan.minSamples()) {
            return hold("samples", () -> String.format(Locale.ROOT, "waiting for samples: %d of %d canary requests this stage",
                    traffic.canaryRequests, plan.minSamples()), () -> contract(rollbackEvidence(), Bound.UPPER), nowMillis);
        }
        boolean allSafe = true;
        for (int g = 0; g < guards.size() && allSafe; g++) {
            allSafe = guards.get(g).verdict(promotionAlpha()) == Verdict.SAFE;
        }
        if (!allSafe) {
            if ("inconclusive".equals(heldFor)) {
                return Optional.empty();
            }
            List<GuardEvidence> safety = safetyEvidence();
            List<GuardEvidence> unsure = safety.stream().filter(e -> e.verdict() != Verdict.SAFE).toList();
            return hold("inconclusive", () -> "not yet shown within the margin: " + describe(unsure, Bound.UPPER),
                    () -> contract(safety, Bound.UPPER), nowMillis);
        }
        List<GuardEvidence> safety = safetyEvidence();
        return Optional.of(promote("canary shown within the margin on every guard: " + describe(safety, Bound.UPPER),
                contract(safety, Bound.UPPER), nowMillis));
    }

    private List<GuardEvidence> rollbackEvidence() {
        List<GuardEvidence> evidence = new ArrayList<>();
        for (int g = 0; g < guards.size(); g++) {
            evidence.add(guards.get(g).evidence(alpha(g)));
        }
        return evidence;
    }

    private List<GuardEvidence> safetyEvidence() {
        List<GuardEvidence> evidence = new ArrayList<>();
        for (GuardJudge guard : guards) {
            evidence.add(guard.evidence(promotionAlpha()));
        }
        return evidence;
    }

    /**
     * Acts on an alert from a CEP rule or an anomaly model (dry runs and notify alerts never get
     * here: the judge counts them and moves on). A critical rollback alert about the canary rolls
     * it back at once, citing the alert; any other hold or rollback alert, including every alert
     * about both cohorts (an incident the canary did not cause), blocks promotions until its
     * {@code holdUntil}, which the next evaluation announces as a HOLD.
     */
    public Optional<Decision> onAlert(Alert alert) {
        long at = alert.eventTime().toEpochMilli();
        String cited = describe(alert);
        if (alert.demandsRollback()) {
            return Optional.of(rollback(cited, List.of(evidenceOf(alert)), at));
        }
        if (alert.blocksPromotion()) {
            long until = alert.holdUntil() != null
                    ? alert.holdUntil().toEpochMilli()
                    : at + DEFAULT_ALERT_HOLD.toMillis();
            if (until > alertHoldUntil) {
                alertHoldUntil = until;
                alertHoldReason = "held by " + cited + " until " + Instant.ofEpochMilli(until);
                if ("alert".equals(heldFor)) {
                    heldFor = null; // a new alert is announced even if an older one already held this stage
                }
            }
        }
        return Optional.empty();
    }

    private static String describe(Alert alert) {
        return String.format(Locale.ROOT, "%s alert %s (%s, %s, %s): %s [%s]",
                alert.source() == AlertSource.ANOMALY ? "anomaly" : "CEP", alert.rule(),
                alert.severity().name().toLowerCase(Locale.ROOT), alert.effect().name().toLowerCase(Locale.ROOT),
                alert.scope().name().toLowerCase(Locale.ROOT), alert.message(), alert.alertId());
    }

    /** The alert as decision evidence: metric {@code alert:<rule>}, the figures it matched on. */
    private static Evidence evidenceOf(Alert alert) {
        Map<String, Double> values = alert.matched() == null || alert.matched().values() == null
                ? Map.of() : alert.matched().values();
        long count = alert.matched() == null ? 0 : alert.matched().count();
        double value = alert.score() != null ? alert.score() : count;
        return new Evidence("alert:" + alert.rule(),
                values.getOrDefault("baseline", 0.0),
                values.getOrDefault("canary", value),
                alert.source() == AlertSource.ANOMALY ? "anomaly-score" : "matched-events",
                value,
                values.getOrDefault("threshold", 0.0),
                0,
                count);
    }

    public Decision pause(String why, long nowMillis) {
        paused = true;
        return decision(Action.PAUSE, "paused" + suffix(why), List.of(), nowMillis);
    }

    public Decision resume(String why, long nowMillis) {
        paused = false;
        heldFor = null;
        return decision(Action.RESUME, "resumed" + suffix(why), List.of(), nowMillis);
    }

    public Decision abort(String why, long nowMillis) {
        return rollback("aborted by operator" + suffix(why), List.of(), nowMillis);
    }

    public Decision promoteManually(String why, long nowMillis) {
        return promote("manual promotion" + suffix(why), List.of(), nowMillis);
    }

    private Decision promote(String reason, List<Evidence> evidence, long nowMillis) {
        int next = stage + 1;
        if (next >= plan.stages().size() || plan.stages().get(next) >= 100) {
            stage = Math.min(next, plan.stages().size() - 1);
            return decision(Action.COMPLETE, "rollout complete: " + reason, evidence, nowMillis);
        }
        stage = next;
        heldFor = null;
        guards.forEach(GuardJudge::reset);
        traffic.startStage(nowMillis);
        return decision(Action.PROMOTE, reason, evidence, nowMillis);
    }

    private Decision rollback(String reason, List<Evidence> evidence, long nowMillis) {
        return new Decision(Action.ROLLBACK, stage, 0.0, nowMillis, reason, evidence);
    }

    /** A HOLD, once per kind and stage; reason and evidence are only built when it is emitted. */
    private Optional<Decision> hold(String kind, Supplier<String> reason, Supplier<List<Evidence>> evidence,
            long nowMillis) {
        if (kind.equals(heldFor)) {
            return Optional.empty();
        }
        heldFor = kind;
        return Optional.of(decision(Action.HOLD, reason.get(), evidence.get(), nowMillis));
    }

    private Decision decision(Action action, String reason, List<Evidence> evidence) {
        return decision(action, reason, evidence, lastEventMillis);
    }

    private Decision decision(Action action, String reason, List<Evidence> evidence, long nowMillis) {
        return new Decision(action, stage, canaryPercent(), nowMillis, reason, evidence);
    }

    private double alpha(int guard) {
        return budget.perComparison(Math.min(stage, budget.judgedStages() - 1), guard);
    }

    private double promotionAlpha() {
        return PROMOTION_RISK / Math.max(1, guards.size());
    }

    /**
     * Which end of the confidence interval on the canary's worsening speaks: the lower end proves
     * a regression (rollback), the upper end proves safety (promotion) or shows what is missing.
     */
    enum Bound { LOWER, UPPER }

    private List<Evidence> contract(List<GuardEvidence> evidence, Bound bound) {
        return evidence.stream().map(e -> new Evidence(e.metric(), finite(e.baseline()), finite(e.canary()),
                bound == Bound.LOWER ? "worsening-lower-bound" : "worsening-upper-bound",
                finite(bound == Bound.LOWER ? e.worseningLower() : e.worseningUpper()),
                marginOf(e.metric()), e.samplesBaseline(), e.samplesCanary())).toList();
    }

    /** "error_rate: canary 4.10% vs baseline 1.00%, worse by at least +2.31 points (margin +0.2)". */
    private String describe(List<GuardEvidence> evidence, Bound bound) {
        return evidence.stream().map(e -> describe(e, bound)).collect(Collectors.joining("; "));
    }

    private String describe(GuardEvidence e, Bound bound) {
        Guard guard = guardOf(e.metric());
        double worsening = bound == Bound.LOWER ? e.worseningLower() : e.worseningUpper();
        return String.format(Locale.ROOT, "%s: canary %s vs baseline %s, worse by at %s %s (margin %s; n=%d/%d)",
                e.metric(), guard.metric().format(e.canary()), guard.metric().format(e.baseline()),
                bound == Bound.LOWER ? "least" : "most", worseningText(guard, worsening),
                worseningText(guard, marginOf(e.metric())), e.samplesCanary(), e.samplesBaseline());
    }

    private static String worseningText(Guard guard, double worsening) {
        if (Double.isInfinite(worsening) || Double.isNaN(worsening)) {
            return "unknown (too few samples)";
        }
        if (guard.isRelative()) {
            return String.format(Locale.ROOT, "%+.1f%%", 100 * worsening);
        }
        return guard.metric().kind() == GuardMetric.Kind.PROPORTION
                ? String.format(Locale.ROOT, "%+.2f points", 100 * worsening)
                : String.format(Locale.ROOT, "%+.3f", worsening);
    }

    private Guard guardOf(String metric) {
        return plan.guards().stream().filter(g -> g.metric().wireName().equals(metric)).findFirst().orElseThrow();
    }

    private double marginOf(String metric) {
        Guard guard = guardOf(metric);
        return guard.isRelative() ? guard.relativeMargin() : guard.margin();
    }

    /** JSON has no infinity: a bound that is not known yet is written as the largest double. */
    private static double finite(double x) {
        if (Double.isNaN(x)) {
            return 0;
        }
        return Double.isInfinite(x) ? Math.copySign(Double.MAX_VALUE, x) : x;
    }

    private static String suffix(String why) {
        return why == null || why.isBlank() ? "" : ": " + why;
    }

    List<GuardJudge> guards() {
        return guards;
    }

    String heldFor() {
        return heldFor;
    }

    CohortTraffic traffic() {
        return traffic;
    }

    long alertHoldUntil() {
        return alertHoldUntil;
    }

    String alertHoldReason() {
        return alertHoldReason;
    }
}
