package io.graylight.cep.job;

import io.graylight.cep.rules.Rule;
import io.graylight.cep.rules.RuleException;
import io.graylight.cep.rules.RuleParser;
import io.graylight.embedded.EmbeddedFlink;
import io.graylight.embedded.EmbeddedKafka;
import io.graylight.options.JobOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The demo's hook: the alert job with {@code cep-rules/} on the embedded cluster (needs 2 slots). */
public final class DemoAlerts {

    private DemoAlerts() {}

    /** Submits the alert job; null (with the reason printed) when there are no valid rules. */
    public static JobID submit(EmbeddedKafka kafka, EmbeddedFlink flink, JobOptions options, PrintStream out) throws Exception {
        Path dir = Path.of(System.getProperty("graylight.home", "."), "cep-rules");
        if (!Files.isDirectory(dir)) {
            out.println("                no cep-rules/ directory: the CEP alert job is not started");
            return null;
        }
        List<Rule> rules;
        try {
            rules = RuleParser.parseDirectory(dir);
        } catch (RuleException e) {
            out.println("                CEP rules refused, alert job not started:\n" + e.getMessage());
            return null;
        }
        String rulesTopic = options.topics().prefix() + "rules";
        kafka.createTopics(1, true, rulesTopic);
        StreamExecutionEnvironment env = EmbeddedFlink.environment(2, Duration.ofSeconds(1));
        AlertJob.forKafka(rules, options, rulesTopic).build(env);
        return flink.submit(env, AlertJob.NAME);
    }
}
