package io.graylight.cep.cli;

import io.graylight.cep.apply.AlertJobCluster;
import io.graylight.cep.apply.RulesApply;
import io.graylight.cep.job.AlertJob;
import io.graylight.cep.job.AlertRuns;
import io.graylight.cep.rules.InputKind;
import io.graylight.cep.rules.Rule;
import io.graylight.cep.rules.RuleException;
import io.graylight.cep.rules.RuleParser;
import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.json.Json;
import io.graylight.options.JobOptions;
import io.graylight.replay.ReplayProgress;
import io.graylight.simulator.Durations;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code graylight rules validate|test|apply}: check CEP rule files, try them on recorded telemetry, apply them to a cluster. */
@Command(name = "rules", mixinStandardHelpOptions = true, description = "Work with CEP alert rule files (cep-rules/).",
        subcommands = {RulesCli.Validate.class, RulesCli.Test.class, RulesCli.Apply.class})
public final class RulesCli {

    public static final int OK = 0;
    public static final int INVALID = 2;

    /** Reads DIR (a directory or one file); on refusal prints every problem to {@code err} and returns null. */
    static List<Rule> load(Path path, PrintWriter err) {
        try {
            return Files.isDirectory(path) ? RuleParser.parseDirectory(path) : RuleParser.parseFiles(List.of(path));
        } catch (RuleException e) {
            e.problems().forEach(p -> err.println(p));
            return null;
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = {"Check rule files: YAML, fields, CEL conditions typed against the event schema,",
                    "quantifiers and contiguity as Flink CEP compiles them. Each problem as",
                    "file:line:column: reason on stderr. Exit 0 when every rule is valid, 2 otherwise."},
            footer = {"", "Example:", "  graylight rules validate cep-rules/"})
    static final class Validate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "DIR", description = "Rule directories or files.")
        List<Path> paths;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            boolean ok = true;
            for (Path path : paths) {
                List<Rule> rules = load(path, err);
                if (rules == null) {
                    ok = false;
                    continue;
                }
                for (Rule r : rules) {
                    out.printf(Locale.ROOT, "%s: ok: %s (%s %s%s, %s, %d step%s, within %s, uid %s)%n", r.source(), r.id(),
                            r.severity().name().toLowerCase(Locale.ROOT), r.effect().name().toLowerCase(Locale.ROOT),
                            r.dryRun() ? ", dry run" : "", r.input().name().toLowerCase(Locale.ROOT), r.steps().size(),
                            r.steps().size() == 1 ? "" : "s", Durations.format(r.within()), r.uid());
                }
            }
            out.flush();
            err.flush();
            return ok ? OK : INVALID;
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Dry-run rules on a recorded telemetry file (event time, MiniCluster): which alerts would",
                    "fire, when, for which release and cohort. Metrics rules see the metrics job's windows of the file."},
            footer = {"", "Example:",
                    "  graylight simulate --out t.jsonl.gz --duration 30m --rate-factor 5 --fault error_rate=0.5@10m",
                    "  graylight rules test cep-rules/ --telemetry t.jsonl.gz"})
    static final class Test implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "Rule directory or file.")
        Path rulesDir;

        @Option(names = "--telemetry", required = true, paramLabel = "FILE", description = "Telemetry JSON Lines (.jsonl or .jsonl.gz).")
        Path telemetry;

        @Option(names = "--out", paramLabel = "ALERTS.jsonl", description = "Also write every alert as a JSON line.")
        Path out;

        @Option(names = "--window", defaultValue = "10s", paramLabel = "DURATION", description = "Metrics window for metrics rules (default: ${DEFAULT-VALUE}).")
        String window;

        @Option(names = "--quiet", description = "No progress bar.")
        boolean quiet;

        @Override
        public Integer call() throws Exception {
            PrintWriter stdout = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!Files.isRegularFile(telemetry)) {
                err.println("rules test: no such telemetry file: " + telemetry);
                return INVALID;
            }
            Duration windowSize;
            try {
                windowSize = Durations.parse(window);
            } catch (IllegalArgumentException e) {
                err.println("rules test: --window: " + e.getMessage());
                return INVALID;
            }
            List<Rule> rules = load(rulesDir, err);
            if (rules == null) {
                err.flush();
                return INVALID;
            }
            JobOptions options = JobOptions.defaults().withWindow(windowSize, windowSize);
            long started = System.nanoTime();
            List<Alert> alerts = new ArrayList<>(ReplayProgress.collect(telemetry, "rules test", quiet, 2, "graylight-rules-test",
                    (env, progressId) -> AlertRuns.onFiles(env, rules, List.of(telemetry), progressId, null,
                            new DiscardingSink<>(), options)));
            alerts.sort(Comparator.comparing(Alert::eventTime).thenComparing(Alert::rule).thenComparing(Alert::release));
            if (out != null) {
                try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                    for (Alert a : alerts) {
                        w.write(Json.toString(a));
                        w.newLine();
                    }
                }
            }
            Map<String, Integer> perRule = new TreeMap<>();
            rules.forEach(r -> perRule.put(r.id(), 0));
            for (Alert a : alerts) {
                perRule.merge(a.rule(), 1, Integer::sum);
                stdout.printf(Locale.ROOT, "%s  %-24s %-8s %-8s %-8s %-8s %s%s%n", a.eventTime(), a.rule(),
                        a.severity().name().toLowerCase(Locale.ROOT), a.effect().name().toLowerCase(Locale.ROOT),
                        a.release(), a.scope().name().toLowerCase(Locale.ROOT), a.dryRun() ? "[dry run] " : "", a.message());
            }
            stdout.printf(Locale.ROOT, "%d alert%s from %d rule%s in %.1f s%s%n", alerts.size(), alerts.size() == 1 ? "" : "s",
                    rules.size(), rules.size() == 1 ? "" : "s", (System.nanoTime() - started) / 1e9,
                    rules.stream().anyMatch(r -> r.input() == InputKind.METRICS) ? " (metrics windows " + window + ")" : "");
            perRule.forEach((rule, n) -> stdout.printf(Locale.ROOT, "  %-26s %d%n", rule, n));
            stdout.flush();
            return OK;
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Apply rule files to the alert job running on a Flink cluster, shape changes included:",
                    "check them and build the new job here (problems as file:line:column, exit 2, job untouched),",
                    "stop the job with a savepoint, submit the new one from it (rules whose shape is unchanged keep",
                    "their partial matches; removed and reshaped rules start afresh) and wait until it runs. If it",
                    "does not, the old rules (kept in the running job's configuration) are resubmitted from the same",
                    "savepoint. Prints what changed and the new job id.",
                    "Exit: 0 applied (or nothing to apply), 1 not applied and the old job runs, 2 refused rules or",
                    "options, 3 not applied and the old job could not be brought back (the message says how)."},
            footer = {"", "Example:", "  graylight rules apply cep-rules/ --rest http://127.0.0.1:8081"})
    static final class Apply implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "Rule directory (or file) to apply.")
        Path rulesDir;

        @Option(names = "--rest", defaultValue = "http://127.0.0.1:8081", paramLabel = "URL",
                description = "The cluster's REST API (default: ${DEFAULT-VALUE}; scripts/cluster status prints it).")
        URI rest;

        @Option(names = "--job-name", defaultValue = AlertJob.NAME, paramLabel = "NAME",
                description = "The running alert job's name (default: ${DEFAULT-VALUE}).")
        String jobName;

        @Option(names = "--savepoint-dir", paramLabel = "URI",
                description = "Where the savepoint goes (default: the cluster's execution.checkpointing.savepoint-dir).")
        String savepointDir;

        @Option(names = "--jar", paramLabel = "FILE",
                description = "The job jar to ship (default: jobs/target/graylight-jobs-job.jar of this installation).")
        Path jar;

        @Option(names = "--no-jar", description = "Ship no jar: the cluster has the job classes already (an in-JVM cluster).")
        boolean noJar;

        @Option(names = "--set", paramLabel = "OPTION=VALUE",
                description = "A job option of the new job (as in jobs.conf, without --), e.g. --set idleness=5min.")
        Map<String, String> jobOptions = new LinkedHashMap<>();

        @Option(names = "-D", paramLabel = "KEY=VALUE", description = "A Flink setting for the new job only (as flink run -D).")
        Map<String, String> flinkSettings = new LinkedHashMap<>();

        @Option(names = "--timeout", defaultValue = "5m", paramLabel = "DURATION",
                description = "Longest wait for each cluster step: savepoint, submission, tasks running (default: ${DEFAULT-VALUE}).")
        String timeout;

        @Option(names = "--dry-run", description = "Check the rules, show what would change and build the new job; touch nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            Duration wait;
            try {
                wait = Durations.parse(timeout);
            } catch (IllegalArgumentException e) {
                err.println("rules apply: --timeout: " + e.getMessage());
                err.flush();
                return INVALID;
            }
            Path shipped = null;
            if (!noJar) {
                shipped = jar != null ? jar : Path.of(System.getProperty("graylight.home", "."), "jobs/target/graylight-jobs-job.jar");
                if (!Files.isRegularFile(shipped)) {
                    err.println("rules apply: no job jar " + shipped + " (build it: mvn -DskipTests package; or --jar FILE)");
                    err.flush();
                    return INVALID;
                }
            }
            if (rest.getHost() == null) {
                err.println("rules apply: --rest: not a URL with a host: " + rest);
                err.flush();
                return INVALID;
            }
            try (AlertJobCluster cluster = new AlertJobCluster(rest, wait)) {
                return new RulesApply(cluster, spec.commandLine().getOut(), err).apply(new RulesApply.Request(rulesDir, jobName,
                        savepointDir, shipped, flinkSettings, jobOptions, dryRun));
            } catch (AlertJobCluster.ClusterException e) {
                err.println("rules apply: " + e.getMessage());
                err.flush();
                return RulesApply.NOT_APPLIED;
            }
        }
    }
}
