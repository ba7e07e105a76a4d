package io.graylight.rollout.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every plan in the top-level {@code rollouts/} folder parses; operators copy them. */
class ExamplePlansTest {

    static Path rolloutsDir() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("rollouts"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("a rollouts/ folder above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir.resolve("rollouts");
    }

    static List<Path> plans() throws IOException {
        try (Stream<Path> files = Files.list(rolloutsDir())) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void parses(Path plan) throws Exception {
        RolloutPlan parsed = PlanParser.parse(plan);
        assertThat(parsed.source()).isEqualTo(plan.toString());
        assertThat(Files.readString(plan)).as("a comment header says when to use it").startsWith("#");
        assertThat(PlanParser.parse(PlanWriter.toYaml(parsed), parsed.source())).isEqualTo(parsed);
    }

    @Test
    void everyStrategyHasAnExample() throws Exception {
        List<String> names = plans().stream().map(p -> p.getFileName().toString()).toList();
        assertThat(names).contains("chat-percentage.yaml", "chat-segment.yaml", "chat-priority.yaml", "chat-schedule.yaml",
                "chat-smart.yaml", "all-releases.yaml");
        assertThat(PlanParser.parse(rolloutsDir().resolve("all-releases.yaml")).isForAllReleases()).isTrue();
        for (StrategyType type : StrategyType.values()) {
            RolloutPlan plan = PlanParser.parse(rolloutsDir().resolve("chat-" + type.wireName() + ".yaml"));
            assertThat(plan.strategyType()).isEqualTo(type);
        }
    }

    @Test
    void thePercentageExampleIsTheDesignPlan() throws Exception {
        RolloutPlan example = PlanParser.parse(rolloutsDir().resolve("chat-percentage.yaml"));
        RolloutPlan design = PlanParser.parse(PlanParserTest.DESIGN_PLAN, example.source());
        assertThat(example).isEqualTo(design);
    }
}
