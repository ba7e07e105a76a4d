package io.graylight.rollout.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.graylight.contracts.decision.Strategy;
import io.graylight.contracts.routing.ScheduleWindow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanParserTest {

    /** The plan of DESIGN.md, verbatim. */
    static final String DESIGN_PLAN = """
            release: chat                  # a release id, or "*" for every release seen in the telemetry
            baselineVersion: v1            # optional
            canaryVersion: v2              # optional
            strategy:
              type: percentage             # percentage | segment | schedule | priority | smart
              # segment:  {attribute: region, order: [eu-west, us-east, ap-south]}
              # schedule: {windows: ["Mon-Fri 02:00-06:00 UTC"]}
              # priority: {attribute: tier, order: [internal, free, pro, enterprise]}
              # smart:    {model: targeting, minScore: 0.6}
            stages: [1, 5, 25, 50, 100]    # canary traffic percent per stage
            minStageDuration: 10m          # dwell before a promotion may happen
            minSamples: 500                # canary requests per stage before a promotion may happen
            alpha: 0.01                    # tolerated probability of a false rollback over the whole rollout
            guards:                        # canary vs baseline; margin = tolerated worsening
              - {metric: error_rate, margin: 0.002}            # absolute (0.2 percentage points)
              - {metric: latency_p95, relativeMargin: 0.10}    # relative (+10 %)
              - {metric: latency_p99, relativeMargin: 0.20}
              - {metric: ttft_p95, relativeMargin: 0.10}
              - {metric: cost_per_request, relativeMargin: 0.10}
              - {metric: quality_score, margin: 0.02}          # lower is worse
              - {metric: negative_feedback_rate, margin: 0.02}
            """;

    @Test
    void theDesignPlanParses() throws PlanException {
        RolloutPlan plan = PlanParser.parse(DESIGN_PLAN, "rollouts/chat.yaml");

        assertThat(plan.release()).isEqualTo("chat");
        assertThat(plan.baselineVersion()).isEqualTo("v1");
        assertThat(plan.canaryVersion()).isEqualTo("v2");
        assertThat(plan.strategy()).isEqualTo(Strategy.percentage());
        assertThat(plan.strategyType()).isEqualTo(StrategyType.PERCENTAGE);
        assertThat(plan.stages()).containsExactly(1.0, 5.0, 25.0, 50.0, 100.0);
        assertThat(plan.minStageDuration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(plan.minSamples()).isEqualTo(500);
        assertThat(plan.alpha()).isEqualTo(0.01);
        assertThat(plan.guards()).containsExactly(
                Guard.absolute(GuardMetric.ERROR_RATE, 0.002),
                Guard.relative(GuardMetric.LATENCY_P95, 0.10),
                Guard.relative(GuardMetric.LATENCY_P99, 0.20),
                Guard.relative(GuardMetric.TTFT_P95, 0.10),
                Guard.relative(GuardMetric.COST_PER_REQUEST, 0.10),
                Guard.absolute(GuardMetric.QUALITY_SCORE, 0.02),
                Guard.absolute(GuardMetric.NEGATIVE_FEEDBACK_RATE, 0.02));
        assertThat(plan.source()).isEqualTo("rollouts/chat.yaml");
        assertThat(plan.appliesTo("chat")).isTrue();
        assertThat(plan.appliesTo("search")).isFalse();
    }

    @Test
    void absentFieldsTakeTheDefaults() throws PlanException {
        RolloutPlan plan = PlanParser.parse("release: chat\n", "minimal.yaml");

        assertThat(plan).isEqualTo(RolloutPlan.defaults("chat", "minimal.yaml"));
        assertThat(plan.baselineVersion()).isNull();
        assertThat(plan.canaryVersion()).isNull();
        assertThat(plan.strategy()).isEqualTo(Strategy.percentage());
        assertThat(plan.stages()).containsExactly(1.0, 5.0, 25.0, 50.0, 100.0);
        assertThat(plan.minStageDuration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(plan.minSamples()).isEqualTo(500);
        assertThat(plan.alpha()).isEqualTo(0.01);
        assertThat(plan.guards()).extracting(Guard::describe).containsExactly(
                "error_rate +0.002", "timeout_rate +0.002", "latency_p95 +10%", "latency_p99 +20%",
                "ttft_p95 +10%", "cost_per_request +10%", "quality_score -0.02", "negative_feedback_rate +0.02");
    }

    @Test
    void allReleasesPlanAppliesToEveryRelease() throws PlanException {
        RolloutPlan plan = PlanParser.parse("release: \"*\"\n", "all.yaml");

        assertThat(plan.isForAllReleases()).isTrue();
        assertThat(plan.appliesTo("chat")).isTrue();
        assertThat(plan.forRelease("chat").release()).isEqualTo("chat");
        assertThat(plan.forRelease("chat").guards()).isEqualTo(plan.guards());
    }

    @Test
    void strategiesParseWithTheirParameters() throws PlanException {
        assertThat(strategyOf("{type: segment, attribute: region, order: [eu-west, us-east, ap-south]}")).isEqualTo(
                new Strategy("segment").with("attribute", "region").with("order", List.of("eu-west", "us-east", "ap-south")));
        assertThat(strategyOf("{type: priority, attribute: tier, order: [internal, free, pro, enterprise]}")).isEqualTo(
                new Strategy("priority").with("attribute", "tier")
                        .with("order", List.of("internal", "free", "pro", "enterprise")));
        assertThat(strategyOf("{type: schedule, windows: [\"Mon-Fri 02:00-06:00 UTC\", \"Sat 00:00-24:00 Europe/Berlin\"]}"))
                .isEqualTo(new Strategy("schedule")
                        .with("windows", List.of("Mon-Fri 02:00-06:00 UTC", "Sat 00:00-24:00 Europe/Berlin")));
        assertThat(strategyOf("{type: smart, model: targeting, minScore: 0.6}")).isEqualTo(
                new Strategy("smart").with("model", "targeting").with("minScore", 0.6));
        assertThat(strategyOf("percentage")).isEqualTo(Strategy.percentage());
    }

    @Test
    void scheduleWindowsOfAPlanAreParsed() throws PlanException {
        RolloutPlan plan = PlanParser.parse("""
                release: chat
                strategy:
                  type: schedule
                  windows:
                    - Mon-Fri 02:00-06:00 UTC
                """, "s.yaml");
        assertThat(plan.scheduleWindows()).containsExactly(ScheduleWindow.parse("Mon-Fri 02:00-06:00 UTC"));
    }

    @Test
    void numbersAsOperatorsWriteThem() throws PlanException {
        RolloutPlan plan = PlanParser.parse("""
                release: 2024
                canaryVersion: 1.10
                stages: [0.5, 2.5, 100]
                minStageDuration: 1h30m
                minSamples: 0
                alpha: 1e-3
                guards: [{metric: latency_p50, margin: 50}]
                """, "n.yaml");
        assertThat(plan.release()).isEqualTo("2024");
        assertThat(plan.canaryVersion()).isEqualTo("1.10");
        assertThat(plan.stages()).containsExactly(0.5, 2.5, 100.0);
        assertThat(plan.minStageDuration()).isEqualTo(Duration.ofMinutes(90));
        assertThat(plan.minSamples()).isZero();
        assertThat(plan.alpha()).isEqualTo(0.001);
        assertThat(plan.guards()).containsExactly(Guard.absolute(GuardMetric.LATENCY_P50, 50));
    }

    @Test
    void zeroDwellIsAllowed() throws PlanException {
        assertThat(PlanParser.parse("release: chat\nminStageDuration: 0\n", "z.yaml").minStageDuration()).isZero();
        assertThat(PlanParser.parse("release: chat\nminStageDuration: 0s\n", "z.yaml").minStageDuration()).isZero();
    }

    // --- refusals: each one exact, file:line:column: reason ---

    @Test
    void unknownMetric() {
        assertRefused("""
                release: chat
                guards:
                  - {metric: error_rate, margin: 0.002}
                  - metric: latency_p96
                    relativeMargin: 0.1
                """,
                "chat.yaml:4:13: unknown metric 'latency_p96' (known: error_rate, timeout_rate, rate_limited_rate, "
                        + "refusal_rate, latency_p50, latency_p95, latency_p99, ttft_p50, ttft_p95, cost_per_request, "
                        + "quality_score, negative_feedback_rate)");
    }

    @Test
    void unknownMetricWithANearMissSuggestsIt() {
        assertRefused("release: chat\nguards: [{metric: eror_rate, margin: 0.01}]\n",
                "chat.yaml:2:19: unknown metric 'eror_rate' (did you mean 'error_rate'? known: error_rate, timeout_rate, "
                        + "rate_limited_rate, refusal_rate, latency_p50, latency_p95, latency_p99, ttft_p50, ttft_p95, "
                        + "cost_per_request, quality_score, negative_feedback_rate)");
    }

    @Test
    void unknownField() {
        assertRefused("release: chat\nstage: [1, 100]\n", "chat.yaml:2:1: unknown field 'stage' (did you mean 'stages'?)");
        assertRefused("release: chat\nmin_samples: 10\n",
                "chat.yaml:2:1: unknown field 'min_samples' (did you mean 'minSamples'?)");
        assertRefused("release: chat\nowner: alice\n", "chat.yaml:2:1: unknown field 'owner' (known: release, "
                + "baselineVersion, canaryVersion, strategy, stages, minStageDuration, minSamples, alpha, guards)");
        assertRefused("release: chat\nguards:\n  - metric: error_rate\n    marginn: 0.1\n",
                "chat.yaml:3:5: guard 'error_rate' needs 'margin' (absolute) or 'relativeMargin' (relative to the baseline)",
                "chat.yaml:4:5: unknown field 'marginn' in a guard (did you mean 'margin'?)");
        assertRefused("release: chat\nstrategy: {type: segment, attribute: region, order: [a], by: x}\n",
                "chat.yaml:2:58: unknown field 'by' for strategy 'segment' (known: type, attribute, order)");
    }

    @Test
    void bothOrNeitherMargin() {
        assertRefused("release: chat\nguards:\n  - {metric: error_rate, margin: 0.002, relativeMargin: 0.1}\n",
                "chat.yaml:3:41: guard 'error_rate' has both 'margin' and 'relativeMargin'; give exactly one");
        assertRefused("release: chat\nguards:\n  - {metric: error_rate}\n",
                "chat.yaml:3:5: guard 'error_rate' needs 'margin' (absolute) or 'relativeMargin' (relative to the baseline)");
    }

    @Test
    void negativeOrMeaninglessMargins() {
        assertRefused("release: chat\nguards: [{metric: latency_p95, relativeMargin: -0.1}]\n",
                "chat.yaml:2:48: relativeMargin must be >= 0, got -0.1");
        assertRefused("release: chat\nguards: [{metric: error_rate, margin: 1.5}]\n",
                "chat.yaml:2:39: margin 1.5 for error_rate tolerates any value: the metric lies in [0, 1], "
                        + "so the margin must be below 1");
        assertRefused("release: chat\nguards: [{metric: quality_score, relativeMargin: 1}]\n",
                "chat.yaml:2:50: relativeMargin 1 for quality_score tolerates any drop; it must be below 1");
        assertRefused("release: chat\nguards: [{metric: error_rate, margin: small}]\n",
                "chat.yaml:2:39: 'margin' must be a number >= 0, not the text 'small'");
    }

    @Test
    void guardWithoutMetricAndEmptyGuards() {
        assertRefused("release: chat\nguards:\n  - {margin: 0.1}\n",
                "chat.yaml:3:5: guard without 'metric' (known: error_rate, timeout_rate, rate_limited_rate, refusal_rate, "
                        + "latency_p50, latency_p95, latency_p99, ttft_p50, ttft_p95, cost_per_request, quality_score, "
                        + "negative_feedback_rate)");
        assertRefused("release: chat\nguards: []\n",
                "chat.yaml:2:9: 'guards' is empty; list at least one guard, or leave 'guards' out for the default set");
        assertRefused("release: chat\nguards:\n  - error_rate\n",
                "chat.yaml:3:5: each guard must be a mapping like {metric: error_rate, margin: 0.002}, not the text 'error_rate'");
    }

    @Test
    void duplicateGuardMetric() {
        assertRefused("""
                release: chat
                guards:
                  - {metric: error_rate, margin: 0.002}
                  - {metric: latency_p95, relativeMargin: 0.1}
                  - {metric: error_rate, margin: 0.01}
                """,
                "chat.yaml:5:14: duplicate guard for 'error_rate' (first at line 3)");
    }

    @Test
    void decreasingStages() {
        assertRefused("release: chat\nstages: [1, 25, 5, 100]\n", "chat.yaml:2:17: stages must rise strictly: 5 follows 25");
        assertRefused("release: chat\nstages: [1, 5, 5]\n", "chat.yaml:2:16: stages must rise strictly: 5 follows 5");
    }

    @Test
    void stagesOutOfRange() {
        assertRefused("release: chat\nstages: [0, 5, 100]\n",
                "chat.yaml:2:10: stage 0 is out of range: each stage is a canary percent in (0, 100]");
        assertRefused("release: chat\nstages:\n  - 50\n  - 150\n",
                "chat.yaml:4:5: stage 150 is out of range: each stage is a canary percent in (0, 100]");
        assertRefused("release: chat\nstages: [-5]\n",
                "chat.yaml:2:10: stage -5 is out of range: each stage is a canary percent in (0, 100]");
        assertRefused("release: chat\nstages: []\n", "chat.yaml:2:9: 'stages' must list at least one canary percentage");
    }

    @Test
    void wrongTypes() {
        assertRefused("release: chat\nstages: five\n",
                "chat.yaml:2:9: 'stages' must be a list of canary percentages like [1, 5, 25, 50, 100], not the text 'five'");
        assertRefused("release: chat\nstages: [1, five, 100]\n",
                "chat.yaml:2:13: 'stages' must hold canary percentages like [1, 5, 25, 50, 100], not the text 'five'");
        assertRefused("release: chat\nminSamples: many\n",
                "chat.yaml:2:13: 'minSamples' must be a whole number of canary requests, such as 500, not the text 'many'");
        assertRefused("release: chat\nminSamples: 10.5\n",
                "chat.yaml:2:13: minSamples must be a whole number below 2^63, got 10.5");
        assertRefused("release: chat\nminSamples: -1\n", "chat.yaml:2:13: minSamples must be >= 0, got -1");
        assertRefused("release: [chat]\n", "chat.yaml:1:10: 'release' must be a release id such as chat, not a list");
        assertRefused("release: chat\nalpha: \"0.01\"\n",
                "chat.yaml:2:8: 'alpha' must be a probability in (0, 0.5], such as 0.01, not the text '0.01'");
        assertRefused("release: chat\nstrategy: [percentage]\n",
                "chat.yaml:2:11: 'strategy' must be a mapping such as {type: percentage}, not a list");
        assertRefused("- release: chat\n", "chat.yaml:1:1: a plan is a mapping of fields such as 'release: chat', not a list");
    }

    @Test
    void alphaOutOfRange() {
        assertRefused("release: chat\nalpha: 0\n", "chat.yaml:2:8: alpha must be in (0, 0.5], got 0");
        assertRefused("release: chat\nalpha: 0.9\n", "chat.yaml:2:8: alpha must be in (0, 0.5], got 0.9");
        assertRefused("release: chat\nalpha: .nan\n",
                "chat.yaml:2:8: 'alpha' must be a probability in (0, 0.5], such as 0.01, not the number .nan");
    }

    @Test
    void badDuration() {
        assertRefused("release: chat\nminStageDuration: ten minutes\n",
                "chat.yaml:2:19: bad minStageDuration 'ten minutes'; expected a duration such as 90s, 10m or 1h30m");
        assertRefused("release: chat\nminStageDuration: 600\n",
                "chat.yaml:2:19: bad minStageDuration '600'; expected a duration such as 90s, 10m or 1h30m");
        assertRefused("release: chat\nminStageDuration: -5m\n",
                "chat.yaml:2:19: bad minStageDuration '-5m'; expected a duration such as 90s, 10m or 1h30m");
    }

    @Test
    void releaseMissingOrBlank() {
        assertRefused("stages: [1, 100]\n", "chat.yaml:1:1: missing 'release': the release id, or \"*\" for every release");
        assertRefused("release: \"  \"\n", "chat.yaml:1:10: 'release' must not be blank");
        assertRefused("release:\n", "chat.yaml:1:9: 'release' must be a release id such as chat, not empty");
    }

    @Test
    void badScheduleWindow() {
        assertRefused("""
                release: chat
                strategy:
                  type: schedule
                  windows:
                    - "Mon-Fri 02:00-06:00 UTC"
                    - "Mon-Fry 02:00-06:00 UTC"
                    - "Sat 02:00-06:00"
                """,
                "chat.yaml:6:7: bad schedule window 'Mon-Fry 02:00-06:00 UTC': unknown day 'Fry' "
                        + "(use Mon, Tue, Wed, Thu, Fri, Sat, Sun, weekdays, weekends or daily)",
                "chat.yaml:7:7: bad schedule window 'Sat 02:00-06:00': missing time zone; "
                        + "expected 'DAYS HH:MM-HH:MM ZONE', e.g. 'Mon-Fri 02:00-06:00 UTC'");
        assertRefused("release: chat\nstrategy: {type: schedule}\n",
                "chat.yaml:2:11: strategy 'schedule' needs 'windows': the weekly time windows for canary traffic; "
                        + "e.g. {type: schedule, windows: [\"Mon-Fri 02:00-06:00 UTC\"]}");
    }

    @Test
    void segmentWithoutOrder() {
        assertRefused("""
                release: chat
                strategy:
                  type: segment
                  attribute: region
                """,
                "chat.yaml:3:3: strategy 'segment' needs 'order': the segment values in rollout order; "
                        + "e.g. {type: segment, attribute: region, order: [eu-west, us-east, ap-south]}");
        assertRefused("release: chat\nstrategy: segment\n",
                "chat.yaml:2:11: strategy 'segment' needs 'attribute' and 'order'; write it as a mapping, "
                        + "e.g. {type: segment, attribute: region, order: [eu-west, us-east, ap-south]}");
        assertRefused("release: chat\nstrategy: {type: priority, attribute: tier, order: [free, pro, free]}\n",
                "chat.yaml:2:64: 'free' appears twice in 'order'");
    }

    @Test
    void strategyTypeAndSmartParameters() {
        assertRefused("release: chat\nstrategy: {type: canary}\n",
                "chat.yaml:2:18: unknown strategy 'canary' (known: percentage, segment, schedule, priority, smart)");
        assertRefused("release: chat\nstrategy: {type: segmnt, attribute: region, order: [eu]}\n",
                "chat.yaml:2:18: unknown strategy 'segmnt' (did you mean 'segment'? known: percentage, segment, "
                        + "schedule, priority, smart)");
        assertRefused("release: chat\nstrategy: {model: targeting}\n",
                "chat.yaml:2:11: strategy without 'type' (known: percentage, segment, schedule, priority, smart)");
        assertRefused("release: chat\nstrategy: {type: smart, model: targeting, minScore: 1.2}\n",
                "chat.yaml:2:53: minScore must be in [0, 1], got 1.2");
        assertRefused("release: chat\nstrategy: {type: percentage, attribute: region}\n",
                "chat.yaml:2:30: unknown field 'attribute' for strategy 'percentage' (known: type)");
    }

    @Test
    void yamlSyntaxError() {
        assertRefused("release: chat\nstages: [1, 5\nalpha: 0.01\n",
                "chat.yaml:3:6: YAML syntax error: expected ',' or ']', but got : (while parsing a flow sequence at 2:9)");
        assertRefused("release: chat\n  bad: indentation\n", "chat.yaml:2:6: YAML syntax error: mapping values are not allowed here");
        assertRefused("release: chat\n\tstages: [1]\n", "chat.yaml:2:1: YAML syntax error: found character '\\t(TAB)' "
                + "that cannot start any token. (Do not use \\t(TAB) for indentation) (while scanning for the next token)");
    }

    @Test
    void bareStarExplainsTheAlias() {
        PlanException refused = refuse("release: *\n");
        assertThat(refused.problems()).singleElement().asString()
                .startsWith("chat.yaml:1:")
                .contains("YAML syntax error")
                .endsWith("a bare * starts a YAML alias: quote it, as in release: \"*\"");
    }

    @Test
    void yamlDuplicateKeysAliasesAndSecondDocuments() {
        assertRefused("release: chat\nalpha: 0.01\nalpha: 0.02\n", "chat.yaml:3:1: duplicate key 'alpha' (first at line 2)");
        assertRefused("release: &r chat\ncanaryVersion: *r\n",
                "chat.yaml:2:16: YAML aliases are not supported in plans (*r); write the value out");
        assertRefused("release: chat\n---\nrelease: search\n",
                "chat.yaml:3:1: a plan file holds one YAML document; found a second one here");
    }

    @Test
    void emptyPlan() {
        assertRefused("", "chat.yaml:1:1: empty plan; expected at least 'release: <id>'");
        assertRefused("# nothing yet\n", "chat.yaml:1:1: empty plan; expected at least 'release: <id>'");
    }

    @Test
    void everyProblemIsReportedInFileOrder() {
        PlanException refused = refuse("""
                release: chat
                guards:
                  - {metric: latency_p96, relativeMargin: 0.1}
                stages: [1, 50, 25]
                alpha: 0.9
                owner: bob
                """);
        assertThat(refused.problems()).containsExactly(
                "chat.yaml:3:14: unknown metric 'latency_p96' (known: " + GuardMetric.knownNames() + ")",
                "chat.yaml:4:17: stages must rise strictly: 25 follows 50",
                "chat.yaml:5:8: alpha must be in (0, 0.5], got 0.9",
                "chat.yaml:6:1: unknown field 'owner' (known: release, baselineVersion, canaryVersion, strategy, stages, "
                        + "minStageDuration, minSamples, alpha, guards)");
        assertThat(refused.getMessage()).isEqualTo(String.join("\n", refused.problems()));
        assertThat(refused.details()).extracting(PlanProblem::line).containsExactly(3, 4, 5, 6);
    }

    @Test
    void filesAreNamedAsGiven(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "release: chat\nalpha: 2\n");
        assertThatThrownBy(() -> PlanParser.parse(file)).isInstanceOf(PlanException.class)
                .hasMessage(file + ":2:8: alpha must be in (0, 0.5], got 2");

        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> PlanParser.parse(missing)).hasMessage(missing + ": no such file");

        Path binary = dir.resolve("binary.yaml");
        Files.write(binary, new byte[] {'r', ':', ' ', (byte) 0xC3, (byte) 0x28});
        assertThatThrownBy(() -> PlanParser.parse(binary)).hasMessage(binary + ": not UTF-8 text");

        Path bom = dir.resolve("bom.yaml");
        Files.write(bom, ("\uFEFFrelease: chat\n").getBytes(StandardCharsets.UTF_8));
        assertThat(PlanParser.parse(bom).release()).isEqualTo("chat");
    }

    @Test
    void writtenPlansParseBackToTheSamePlan() throws PlanException {
        for (String yaml : List.of(DESIGN_PLAN, "release: \"*\"\n",
                "release: \"yes\"\ncanaryVersion: \"2.0\"\nstrategy: {type: schedule, windows: [\"daily 22:00-02:00 +05:30\"]}\n",
                "release: chat\nstrategy: {type: smart, model: targeting, minScore: 0.65}\nstages: [0.5, 100]\n"
                        + "minStageDuration: 1h30m\nalpha: 0.001\n",
                "release: chat\nstrategy: {type: segment, attribute: region, order: [eu-west, \"1\", \"a b\"]}\n")) {
            RolloutPlan plan = PlanParser.parse(yaml, "p.yaml");
            String written = PlanWriter.toYaml(plan);
            assertThat(PlanParser.parse(written, "p.yaml")).as(written).isEqualTo(plan);
        }
    }

    @Test
    void suggestionsOnlyForPlausibleUniqueTypos() {
        assertThat(PlanParser.suggestion("stage", PlanParser.PLAN_FIELDS)).contains("stages");
        assertThat(PlanParser.suggestion("Release", PlanParser.PLAN_FIELDS)).contains("release");
        assertThat(PlanParser.suggestion("relative_margin", PlanParser.GUARD_FIELDS)).contains("relativeMargin");
        assertThat(PlanParser.suggestion("owner", PlanParser.PLAN_FIELDS)).isEmpty();
        assertThat(PlanParser.suggestion("latency_p96", List.of("latency_p50", "latency_p95", "latency_p99"))).isEmpty();
        assertThat(PlanParser.levenshtein("kitten", "sitting")).isEqualTo(3);
    }

    private static Strategy strategyOf(String strategyYaml) throws PlanException {
        return PlanParser.parse("release: chat\nstrategy: " + strategyYaml + "\n", "s.yaml").strategy();
    }

    private static PlanException refuse(String yaml) {
        PlanException refused = catchThrowableOfType(PlanException.class, () -> PlanParser.parse(yaml, "chat.yaml"));
        assertThat(refused).as("refused:\n" + yaml).isNotNull();
        return refused;
    }

    private static void assertRefused(String yaml, String... problems) {
        assertThat(refuse(yaml).problems()).as(yaml).containsExactly(problems);
    }
}
