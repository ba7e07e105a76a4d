package io.graylight.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.cli.GraylightCli;
import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.contracts.json.Json;
import io.graylight.simulator.Fault;
import io.graylight.simulator.JsonLinesSink;
import io.graylight.simulator.SimulatedRecord;
import io.graylight.simulator.SimulationConfig;
import io.graylight.simulator.TrafficSimulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay --rules}: the shipped CEP rules run on the recorded file and their alerts act on the
 * decisions as they would live. The plan guards latency only, so the failing canary's ROLLBACK can
 * only come from an alert.
 */
class ReplayWithAlertsTest {

    static final String LATENCY_ONLY_PLAN = """
            release: chat
            stages: [25, 50, 100]
            minStageDuration: 30m
            minSamples: 100
            alpha: 0.01
            guards:
              - {metric: latency_p50, relativeMargin: 5.0}
            """;

    @TempDir
    static Path dir;
    static Path telemetry;
    static Path plan;
    static Instant onset;

    @BeforeAll
    static void recordAFailingCanary() throws Exception {
        telemetry = dir.resolve("telemetry.jsonl");
        SimulationConfig config = SimulationConfig.builder().seed(12).canaryPercent(25).rateFactor(5)
                .duration(Duration.ofMinutes(10)).fault(Fault.parse("error_rate=0.6@5m")).build();
        try (JsonLinesSink sink = JsonLinesSink.toFile(telemetry)) {
            for (SimulatedRecord record : new TrafficSimulator(config)) {
                sink.write(record);
            }
        }
        onset = config.start().plus(Duration.ofMinutes(5));
        plan = Files.writeString(dir.resolve("plan.yaml"), LATENCY_ONLY_PLAN, StandardCharsets.UTF_8);
    }

    @Test
    void withoutRulesTheLatencyOnlyPlanNeverRollsBack() throws Exception {
        assertThat(replay("plain", false)).extracting(DecisionRecord::action).doesNotContain(Action.ROLLBACK);
    }

    @Test
    void aCriticalRuleRollsTheCanaryBackAfterTheOnsetTheSameWayEveryRun() throws Exception {
        List<DecisionRecord> first = replay("first", true);

        DecisionRecord rollback = first.get(first.size() - 1);
        assertThat(rollback.action()).isEqualTo(Action.ROLLBACK);
        assertThat(rollback.eventTime()).isAfter(onset);
        assertThat(rollback.reason()).startsWith("CEP alert");
        assertThat(rollback.evidence()).singleElement().satisfies(e -> assertThat(e.metric()).startsWith("alert:"));
        List<Alert> alerts = Files.readAllLines(dir.resolve("first.alerts.jsonl")).stream()
                .map(line -> Json.fromString(line, Alert.class)).toList();
        assertThat(alerts).anySatisfy(a -> {
            assertThat(rollback.reason()).contains(a.alertId());
            assertThat(a.demandsRollback()).isTrue();
        });
        assertThat(replay("second", true)).isEqualTo(first);
    }

    @Test
    void aBrokenRuleDirectoryIsRefusedWithItsLine() throws Exception {
        Path rules = Files.createDirectories(dir.resolve("bad-rules"));
        Files.writeString(rules.resolve("bad.yaml"), "rules:\n  - id: x\n    severity: fatal\n");

        int exit = GraylightCli.commandLine().execute("replay", "--quiet", "--telemetry", telemetry.toString(),
                "--plan", plan.toString(), "--out", dir.resolve("never.jsonl").toString(), "--rules", rules.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(dir.resolve("never.jsonl")).doesNotExist();
    }

    private static List<DecisionRecord> replay(String name, boolean withRules) throws Exception {
        Path out = dir.resolve(name + ".jsonl");
        List<String> args = new java.util.ArrayList<>(List.of("replay", "--quiet", "--telemetry", telemetry.toString(),
                "--plan", plan.toString(), "--out", out.toString()));
        if (withRules) {
            args.addAll(List.of("--rules", Path.of("..", "cep-rules").toString(),
                    "--alerts-out", dir.resolve(name + ".alerts.jsonl").toString()));
        }
        assertThat(GraylightCli.commandLine().execute(args.toArray(String[]::new))).isZero();
        return Files.readAllLines(out).stream().map(line -> Json.fromString(line, DecisionRecord.class)).toList();
    }
}
