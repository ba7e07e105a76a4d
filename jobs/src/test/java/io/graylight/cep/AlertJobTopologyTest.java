package io.graylight.cep;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.bench.CepBenchmark;
import io.graylight.cep.job.AlertRuns;
import io.graylight.cep.rules.Rule;
import io.graylight.cep.rules.RuleParser;
import io.graylight.options.JobOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert job's shape as rules are added: every rule is one more CEP operator (with its own uid)
 * chained into the router's task, never one more task or exchange (a task per rule and subtask ran
 * out of network buffers at 100 rules and threads at 500).
 */
class AlertJobTopologyTest {

    @TempDir
    Path dir;

    @Test
    void moreRulesAddChainedOperatorsNotTasks() throws Exception {
        List<Rule> shipped = RuleParser.parseDirectory(ShippedRulesTest.repoRoot().resolve("cep-rules"));
        List<Rule> tripled = CepBenchmark.copies(shipped, 3);

        StreamGraph one = streamGraph(shipped);
        StreamGraph three = streamGraph(tripled);
        JobGraph oneJob = one.getJobGraph();
        JobGraph threeJob = three.getJobGraph();

        assertThat(threeJob.getNumberOfVertices()).isEqualTo(oneJob.getNumberOfVertices());
        assertThat(operators(threeJob) - operators(oneJob)).isEqualTo(tripled.size() - shipped.size());
        // the rules of an input kind share one task: its chain holds them all
        long telemetryRules = tripled.stream().filter(r -> r.input() == io.graylight.cep.rules.InputKind.TELEMETRY).count();
        int largestChain = java.util.stream.StreamSupport.stream(threeJob.getVertices().spliterator(), false)
                .mapToInt(v -> v.getOperatorIDs().size()).max().orElse(0);
        assertThat(largestChain).isGreaterThan((int) telemetryRules);

        Set<String> uids = three.getStreamNodes().stream().map(StreamNode::getTransformationUID).collect(Collectors.toSet());
        assertThat(uids).containsAll(tripled.stream().map(Rule::uid).toList());
        assertThat(uids).contains("cep-attach-params-telemetry", "cep-attach-params-metrics", "cep-suppress-repeats", "cep-alerts-sink",
                "cep-deduplicate", "cep-route-rules-telemetry", "cep-route-rules-metrics");
    }

    private StreamGraph streamGraph(List<Rule> rules) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        AlertRuns.onFiles(env, rules, List.of(dir.resolve("telemetry.jsonl")), null, null, new DiscardingSink<>(), JobOptions.defaults());
        return env.getStreamGraph();
    }

    private static int operators(JobGraph job) {
        int n = 0;
        for (JobVertex v : job.getVertices()) {
            n += v.getOperatorIDs().size();
        }
        return n;
    }
}
