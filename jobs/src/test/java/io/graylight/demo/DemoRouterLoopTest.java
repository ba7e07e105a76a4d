package io.graylight.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.DecisionRecord;
import io.graylight.mockllm.MockFaults;
import io.graylight.simulator.Fault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The demo's closed loop in router mode, everything real and in this JVM: simulated users call the
 * router, the canary mock LLM fails, the router's telemetry reaches Flink through Kafka, the
 * decision job rolls back, and the router stops sending users to the canary.
 */
class DemoRouterLoopTest {

    @Test
    void aFailingCanaryIsRolledBackAndTheRouterSendsItNothingAfterwards() {
        Path plan = Path.of("../rollouts/demo-router.yaml");
        assertThat(plan).exists();
        DemoCommand demo = new DemoCommand();
        int exit = new CommandLine(demo).execute("--no-ansi", "--refresh", "10s", "--duration", "3m",
                "--plan", plan.toString(), "--fault", "error_rate=0.4@0s");

        assertThat(exit).isZero();
        List<DecisionRecord> decisions = demo.lastBoard.decisions();
        assertThat(decisions).extracting(DecisionRecord::action).contains(Action.ROLLBACK);
        assertThat(decisions).extracting(DecisionRecord::action).doesNotContain(Action.PROMOTE);
        // The router, not the simulator, picked the cohorts: it served the canary before the rollback...
        assertThat(demo.routerTraffic.servedByCohort()).containsKeys("baseline", "canary");
        assertThat(demo.routerTraffic.servedByCohort().get("canary")).isPositive();
        // ...and none of the calls sent from a second after the ROLLBACK.
        assertThat(demo.canaryCallsAfterRollback).isZero();
    }

    @Test
    void faultsMapOntoTheMockAtTheirStart() {
        List<Fault> faults = List.of(Fault.parse("error_rate=0.1@30s"), Fault.parse("latency=2@10s:both"),
                Fault.parse("tail_stalls=0.05@0s"));
        MockFaults early = DemoCommand.mockFaults(faults, Duration.ofSeconds(5), false);
        assertThat(early.errorRate()).isZero();
        assertThat(early.slowFactor()).isEqualTo(1.0);
        assertThat(early.stallRate()).isEqualTo(0.05);
        MockFaults late = DemoCommand.mockFaults(faults, Duration.ofSeconds(40), false);
        assertThat(late.errorRate()).isEqualTo(0.1);
        assertThat(late.slowFactor()).isEqualTo(2.0);
        MockFaults baseline = DemoCommand.mockFaults(faults, Duration.ofSeconds(40), true);
        assertThat(baseline.errorRate()).isZero();
        assertThat(baseline.slowFactor()).isEqualTo(2.0); // :both reaches the baseline too
        assertThat(baseline.stallRate()).isZero();
    }

    @Test
    void aFaultTheMockCannotInjectIsRefusedInRouterModeWithAHint() {
        var err = new java.io.ByteArrayOutputStream();
        var previous = System.err;
        System.setErr(new java.io.PrintStream(err, true));
        int exit;
        try {
            exit = new CommandLine(new DemoCommand()).execute("--no-ansi", "--fault", "quality_drop=0.3@10s");
        } finally {
            System.setErr(previous);
        }
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("quality_drop").contains("--no-router");
    }
}
