package io.graylight.cep;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.cep.CepTesting.Scenario;
import io.graylight.cep.job.AlertRuns;
import io.graylight.cep.rules.Rule;
import io.graylight.cep.rules.RuleParser;
import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.alert.AlertScope;
import io.graylight.contracts.telemetry.RequestStatus;
import io.graylight.options.JobOptions;
import io.graylight.testing.CollectingSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shipped rule of {@code cep-rules/} on a MiniCluster over simulated telemetry: one release
 * per rule carries that rule's fault from minute 5, two releases stay healthy, all in one file and
 * one job run (parallelism 2), as {@code rules test} runs it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShippedRulesTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static final Duration ONSET = Duration.ofMinutes(5);
    static final Instant FAULT_START = CepTesting.START.plus(ONSET);

    /** Rule id → the fault that must make it fire (the release is named after the rule). */
    static final Map<String, Scenario> FAULTS = Map.of(
            "canary-error-burst", Scenario.fault("canary-error-burst", 11, "error_rate=0.6@5m"),
            "timeout-storm", Scenario.fault("timeout-storm", 12, "tail_stalls=0.3@5m"),
            "rate-limit-storm", Scenario.rewrite("rate-limit-storm", 13, CepTesting.canaryStatus(ONSET, 0.8, RequestStatus.RATE_LIMITED, 1)),
            "refusal-spike", Scenario.rewrite("refusal-spike", 14, CepTesting.canaryStatus(ONSET, 0.3, RequestStatus.FILTERED, 2)),
            "canary-latency-spike", Scenario.fault("canary-latency-spike", 15, "latency=2.5@5m"),
            "ttft-regression", Scenario.fault("ttft-regression", 16, "ttft=3@5m"),
            "silent-canary", Scenario.fault("silent-canary", 17, "silence@5m"),
            "negative-feedback-burst", Scenario.fault("negative-feedback-burst", 18, "negative_feedback=0.6@5m"),
            "cost-blowup", Scenario.fault("cost-blowup", 19, "cost=2.5@5m"),
            "missing-fields", Scenario.rewrite("missing-fields", 20, CepTesting.canaryWithoutUsage(ONSET)));

    static final List<String> HEALTHY = List.of("healthy-a", "healthy-b");

    List<Rule> rules;
    List<Alert> alerts;

    @BeforeAll
    void runAllRulesOnceOverEveryScenario(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        rules = RuleParser.parseDirectory(repoRoot().resolve("cep-rules"));
        List<Scenario> scenarios = new java.util.ArrayList<>(FAULTS.values());
        scenarios.add(Scenario.healthy(HEALTHY.get(0), 21));
        scenarios.add(Scenario.healthy(HEALTHY.get(1), 22));
        Path telemetry = CepTesting.write(dir.resolve("telemetry.jsonl"), Duration.ofMinutes(10), 8, scenarios);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        CollectingSink<Alert> sink = new CollectingSink<>();
        AlertRuns.onFiles(env, rules, List.of(telemetry), null, null, sink, JobOptions.defaults());
        env.execute("shipped-rules-test");
        alerts = sink.collected();
    }

    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("cep-rules"))) {
            dir = dir.getParent();
        }
        return dir;
    }

    List<String> ruleIds() {
        return FAULTS.keySet().stream().sorted().toList();
    }

    @Test
    void everyShippedRuleHasAFaultScenario() {
        assertThat(rules).extracting(Rule::id).containsExactlyInAnyOrderElementsOf(FAULTS.keySet());
    }

    @ParameterizedTest(name = "{0} fires on its fault")
    @MethodSource("ruleIds")
    void firesOnItsFaultAfterTheOnsetForTheCanary(String rule) {
        List<Alert> fired = alerts.stream().filter(a -> a.rule().equals(rule) && a.release().equals(rule)).toList();
        assertThat(fired).as("alerts of %s on its fault; all alerts: %s", rule, summary()).isNotEmpty();
        Alert first = fired.get(0);
        assertThat(first.eventTime()).isAfterOrEqualTo(FAULT_START).isBefore(FAULT_START.plus(Duration.ofMinutes(4)));
        assertThat(first.scope()).isEqualTo(AlertScope.CANARY);
        assertThat(first.message()).doesNotContain("{").contains(rule);
        assertThat(first.matched().count()).isPositive();
        assertThat(first.matched().eventIds()).isNotEmpty().hasSizeLessThanOrEqualTo(10);
        // the cooldown keeps one fault from flooding: at most one alert per cooldown
        Rule r = rules.stream().filter(x -> x.id().equals(rule)).findFirst().orElseThrow();
        long allowed = Duration.ofMinutes(10).minus(ONSET).toMillis() / r.cooldown().toMillis() + 1;
        assertThat(fired.stream().filter(a -> a.scope() == AlertScope.CANARY)).hasSizeLessThanOrEqualTo((int) allowed);
    }

    @ParameterizedTest(name = "{0} stays quiet on healthy traffic")
    @MethodSource("ruleIds")
    void staysQuietOnHealthyTrafficAndBeforeAnyFault(String rule) {
        assertThat(alerts.stream().filter(a -> a.rule().equals(rule))
                .filter(a -> HEALTHY.contains(a.release()) || a.eventTime().isBefore(FAULT_START)))
                .as("false alerts of %s", rule).isEmpty();
    }

    private String summary() {
        return alerts.stream().collect(Collectors.groupingBy(a -> a.rule() + "@" + a.release(), Collectors.counting())).toString();
    }
}
