package io.graylight.rollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCliTest {

    @TempDir
    Path dir;

    @Test
    void validPlansExitZero() throws Exception {
        Path a = write("a.yaml", "release: chat\nstages: [1, 100]\n");
        Path b = write("b.yaml", "release: search\nstrategy: {type: smart, model: targeting, minScore: 0.6}\n");

        CliRun run = CliRun.of("plan", "validate", a.toString(), b.toString());

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out().lines()).containsExactly(
                a + ": ok: release chat, percentage, stages 1% 100%, dwell 10m, 500 samples/stage, alpha 0.01, guards "
                        + "error_rate +0.002, timeout_rate +0.002, latency_p95 +10%, latency_p99 +20%, ttft_p95 +10%, "
                        + "cost_per_request +10%, quality_score -0.02, negative_feedback_rate +0.02",
                b + ": ok: release search, smart model=targeting minScore=0.6, stages 1% 5% 25% 50% 100%, dwell 10m, "
                        + "500 samples/stage, alpha 0.01, guards error_rate +0.002, timeout_rate +0.002, latency_p95 +10%, "
                        + "latency_p99 +20%, ttft_p95 +10%, cost_per_request +10%, quality_score -0.02, "
                        + "negative_feedback_rate +0.02");
    }

    @Test
    void anyRefusedPlanExitsTwoWithFileLineErrors() throws Exception {
        Path good = write("good.yaml", "release: chat\n");
        Path bad = write("bad.yaml", "release: chat\nalpha: 0.9\nguards: [{metric: latency_p96, margin: 5}]\n");

        CliRun run = CliRun.of("plan", "validate", good.toString(), bad.toString(), dir.resolve("none.yaml").toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.out()).startsWith(good + ": ok: release chat");
        assertThat(run.err().lines()).containsExactly(
                bad + ":2:8: alpha must be in (0, 0.5], got 0.9",
                bad + ":3:19: unknown metric 'latency_p96' (known: error_rate, timeout_rate, rate_limited_rate, "
                        + "refusal_rate, latency_p50, latency_p95, latency_p99, ttft_p50, ttft_p95, cost_per_request, "
                        + "quality_score, negative_feedback_rate)",
                dir.resolve("none.yaml") + ": no such file",
                "plan validate: 2 of 3 plans refused");
    }

    @Test
    void effectivePrintsTheDefaults() throws Exception {
        Path plan = write("p.yaml", "release: chat\nguards: [{metric: error_rate, margin: 0.01}]\n");

        CliRun run = CliRun.of("plan", "validate", "--effective", plan.toString());

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("""
                release: chat
                strategy: {type: percentage}
                stages: [1, 5, 25, 50, 100]
                minStageDuration: 10m
                minSamples: 500
                alpha: 0.01
                guards:
                  - {metric: error_rate, margin: 0.01}
                """);
    }

    @Test
    void startDryRunPrintsTheCommandWithoutKafka() throws Exception {
        Path plan = write("p.yaml", "release: chat\n");
        CliRun run = CliRun.of("rollout", "start", "--plan", plan.toString(), "--dry-run", "--issued-by", "alice",
                "--kafka", "127.0.0.1:1");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("\"type\":\"START\"", "\"release\":\"chat\"", "\"issuedBy\":\"alice\"",
                "\"planYaml\":\"release: chat\\n\"");
    }

    @Test
    void noSubcommandIsAUsageError() {
        assertThat(CliRun.of("rollout").exit()).isEqualTo(2);
        assertThat(CliRun.of("rollout", "pause").exit()).isEqualTo(2);
        assertThat(CliRun.of("plan", "validate").exit()).isEqualTo(2);
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }
}
