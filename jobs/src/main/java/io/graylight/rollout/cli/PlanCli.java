package io.graylight.rollout.cli;

import io.graylight.rollout.plan.Guard;
import io.graylight.rollout.plan.PlanException;
import io.graylight.rollout.plan.PlanParser;
import io.graylight.rollout.plan.PlanWriter;
import io.graylight.rollout.plan.RolloutPlan;
import io.graylight.simulator.Durations;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code graylight plan validate FILE...}: the checks of {@code rollout start}, without Kafka. */
@Command(name = "plan", mixinStandardHelpOptions = true, description = "Work with rollout plan files.",
        subcommands = {PlanCli.Validate.class})
public final class PlanCli {

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = {"Check rollout plans: each problem as file:line:column: reason on stderr.",
                    "Exit 0 when every plan is valid, 2 otherwise."},
            footer = {"", "Example:", "  graylight plan validate rollouts/*.yaml"})
    static final class Validate implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Plan files.")
        List<Path> files;

        @Option(names = "--effective", description = "Also print each valid plan with every default filled in.")
        boolean effective;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            int refused = 0;
            for (Path file : files) {
                try {
                    RolloutPlan plan = PlanParser.parse(file);
                    out.println(file + ": ok: " + summary(plan));
                    if (effective) {
                        out.print(PlanWriter.toYaml(plan));
                    }
                } catch (PlanException e) {
                    e.problems().forEach(err::println);
                    refused++;
                }
            }
            if (refused > 0 && files.size() > 1) {
                err.println("plan validate: " + refused + " of " + files.size() + " plans refused");
            }
            out.flush();
            err.flush();
            return refused == 0 ? RolloutCli.OK : RolloutCli.INVALID;
        }

        static String summary(RolloutPlan plan) {
            return "release " + plan.release() + ", " + DecisionFormat.strategy(plan.strategy())
                    + ", stages " + plan.stages().stream().map(DecisionFormat::percent).collect(Collectors.joining(" "))
                    + ", dwell " + Durations.format(plan.minStageDuration())
                    + ", " + plan.minSamples() + " samples/stage, alpha " + DecisionFormat.number(plan.alpha())
                    + ", guards " + plan.guards().stream().map(Guard::describe).collect(Collectors.joining(", "));
        }
    }
}
