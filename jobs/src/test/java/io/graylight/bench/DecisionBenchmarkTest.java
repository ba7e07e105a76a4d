package io.graylight.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.graylight.bench.DecisionTrials.Detection;
import io.graylight.bench.DecisionTrials.FalseRollbacks;
import io.graylight.bench.DecisionTrials.Judge;
import io.graylight.bench.DecisionTrials.Report;
import io.graylight.bench.DecisionTrials.Settings;
import io.graylight.cli.GraylightCli;
import io.graylight.contracts.json.Json;
import io.graylight.simulator.Fault;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The decision benchmark's code path at toy size: a few short rollouts per scenario. Checks the
 * shape of what it reports and that an obvious fault is caught by both judges; no timings, and no
 * claims about rates, which need the full-size run.
 */
class DecisionBenchmarkTest {

    static final String[] TINY = {"--aa-runs", "4", "--margin-runs", "1", "--margin-fault", "error_rate=0.01",
        "--fault-runs", "1", "--fault", "error_rate=0.3", "--fault", "silence", "--onset", "1m",
        "--duration", "6m", "--no-progress"};

    static Settings tinySettings(int threads) throws Exception {
        DecisionBenchmark command = new DecisionBenchmark();
        new CommandLine(command).parseArgs(TINY);
        Settings s = command.settings();
        return new Settings(s.plan(), s.aaRuns(), s.marginRuns(), s.marginFaults(), s.faultRuns(), s.faults(),
                s.duration(), s.rateFactor(), s.sequentialEvery(), s.naiveEvery(), s.seed(), threads);
    }

    @Test
    void reportsFalseRollbacksAndDetectionsForBothJudgesAndCatchesAnObviousFault() throws Exception {
        Settings settings = tinySettings(2);
        AtomicInteger done = new AtomicInteger();

        Report report = DecisionTrials.run(settings, done::incrementAndGet);

        assertThat(done.get()).isEqualTo(DecisionTrials.totalRuns(settings)).isEqualTo(2 * (4 + 1 + 2));
        assertThat(report.runs()).hasSize(done.get());
        assertThat(report.falseRollbacks()).extracting(FalseRollbacks::judge).containsExactly(Judge.SEQUENTIAL, Judge.NAIVE);
        assertThat(report.falseRollbacks()).allSatisfy(f -> {
            assertThat(f.falseRollbacks().trials()).isEqualTo(4);
            assertThat(f.falseRollbacks().low()).isBetween(0.0, f.falseRollbacks().rate());
            assertThat(f.falseRollbacks().high()).isBetween(f.falseRollbacks().rate(), 1.0);
        });
        assertThat(report.atMargin()).extracting(FalseRollbacks::scenario)
                .containsExactly("at margin: error_rate=0.01", "at margin: error_rate=0.01",
                        DecisionTrials.ALL_MARGINS, DecisionTrials.ALL_MARGINS);
        assertThat(report.detections()).hasSize(4).allSatisfy(d -> assertThat(d.runs()).isEqualTo(1));

        for (Judge judge : Judge.values()) {
            Detection errors = report.detection(judge, "error_rate=0.3@1m");
            assertThat(errors.detected().events()).as("%s detects error_rate=0.3", judge).isEqualTo(1);
            assertThat(errors.falseBeforeOnset()).isZero();
            assertThat(errors.medianSeconds()).isGreaterThanOrEqualTo(0);
            assertThat(errors.rollbackBy()).containsKey("error_rate");
            Detection silence = report.detection(judge, "silence@1m");
            assertThat(silence.detected().events()).as("%s detects a silent canary", judge).isEqualTo(1);
            assertThat(silence.rollbackBy()).containsOnlyKeys("silence");
        }
    }

    @Test
    void resultsDoNotDependOnTheNumberOfThreads() throws Exception {
        Report two = DecisionTrials.run(tinySettings(2), () -> {});
        Report one = DecisionTrials.run(tinySettings(1), () -> {});

        assertThat(two.runs()).isEqualTo(one.runs());
    }

    @Test
    void theCommandPrintsTheTablesAndWritesJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("out/decisions.json");
        StringWriter out = new StringWriter();
        CommandLine cli = GraylightCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        String[] args = new String[TINY.length + 4];
        args[0] = "bench";
        args[1] = "decisions";
        System.arraycopy(TINY, 0, args, 2, TINY.length);
        args[TINY.length + 2] = "--out";
        args[TINY.length + 3] = json.toString();

        int exit = cli.execute(args);

        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString())
                .contains("FALSE ROLLBACKS", "A/A (no fault)", "at margin: error_rate=0.01", "DETECTION",
                        "error_rate=0.3", "silence", "sequential", "naive", "95% CI", "aim:", "wall time:")
                .contains("guards (tolerated worsening): error_rate +0.01");
        JsonNode root = Json.MAPPER.readTree(Files.readString(json));
        assertThat(root.path("settings").path("plan").path("alpha").asDouble()).isEqualTo(0.05);
        assertThat(root.path("settings").path("plan").path("guards")).hasSize(8);
        assertThat(root.path("falseRollbacks")).hasSize(2);
        assertThat(root.path("atMargin")).hasSize(4);
        assertThat(root.path("detection")).hasSize(4);
        assertThat(root.path("runs")).hasSize(14);
        JsonNode first = root.path("falseRollbacks").get(0);
        assertThat(first.path("judge").asText()).isEqualTo("sequential");
        assertThat(first.path("runs").asInt()).isEqualTo(4);
        assertThat(first.has("ci95Low") && first.has("ci95High")).isTrue();
    }

    @Test
    void marginFaultsPutEachGuardExactlyAtItsMargin() throws Exception {
        Settings settings = tinySettings(1);
        DecisionBenchmark command = new DecisionBenchmark();
        new CommandLine(command).parseArgs();

        assertThat(DecisionTrials.marginFaults(command.settings().plan())).extracting(Fault::spec)
                .containsExactly("error_rate=0.01@0s", "ttft=1.25@0s", "cost=1.15@0s", "quality_drop=0.03@0s",
                        "negative_feedback=0.1@0s");
        assertThat(settings.marginFaults()).extracting(Fault::spec).containsExactly("error_rate=0.01@0s");
    }
}
