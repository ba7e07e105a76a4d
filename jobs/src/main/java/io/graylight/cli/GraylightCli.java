package io.graylight.cli;

import io.graylight.simulator.SimulateCommand;
import io.graylight.bench.BenchCommand;
import io.graylight.cep.cli.RulesCli;
import io.graylight.demo.DemoCommand;
import io.graylight.elasticsearch.ElasticsearchCommand;
import io.graylight.mockllm.MockLlmCommand;
import io.graylight.models.ModelsCommand;
import io.graylight.replay.ReplayCommand;
import io.graylight.notify.NotifyCli;
import io.graylight.report.ReportCommand;
import io.graylight.rollout.cli.DecisionsCli;
import io.graylight.rollout.cli.PlanCli;
import io.graylight.rollout.cli.RolloutCli;
import io.graylight.router.RouterMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code graylight} command line: one entry point for the demo, the simulator, replay and
 * operations. {@code scripts/graylight} builds the jars on first use and runs this class.
 */
@Command(
        name = "graylight",
        mixinStandardHelpOptions = true,
        versionProvider = GraylightCli.Version.class,
        description = "Graylight: the brain of a gray release for LLM applications.",
        subcommands = {
            CommandLine.HelpCommand.class,
            DemoCommand.class,
            SimulateCommand.class,
            ReplayCommand.class,
            ReportCommand.class,
            NotifyCli.class,
            BenchCommand.class,
            RolloutCli.class,
            DecisionsCli.class,
            PlanCli.class,
            ElasticsearchCommand.class,
            RouterMain.class,
            MockLlmCommand.class,
            ModelsCommand.class,
            RulesCli.class,
        })
public final class GraylightCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new GraylightCli()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = GraylightCli.class.getPackage().getImplementationVersion();
            return new String[] {"graylight " + (version == null ? "development build" : version)};
        }
    }
}
