package io.graylight.cep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.graylight.cep.rules.Rule;
import io.graylight.cep.rules.RuleException;
import io.graylight.cep.rules.RuleParser;
import io.graylight.cli.GraylightCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Rule files with one mistake each: the right file:line:column and a plain reason, never a stack trace. */
class RuleValidationTest {

    static final String VALID = """
            rules:
              - id: slow-canary
                severity: warning
                effect: hold
                input: telemetry
                params:
                  maxLatencyMs: 2000
                pattern:
                  - name: slow
                    condition: latencyMs > params.maxLatencyMs
                    times: 3
                within: 1m
                message: "slow: {count} over {params.maxLatencyMs} ms"
            """;

    @Test
    void theBaseRuleIsValid() throws Exception {
        List<Rule> rules = RuleParser.parse(VALID, "x.yaml");
        assertThat(rules).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("slow-canary");
            assertThat(r.params()).containsEntry("maxLatencyMs", 2000.0);
            assertThat(r.steps().get(0).timesMin()).isEqualTo(3);
        });
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                // what, the text replaced, its replacement, expected "line:column" (or "line:"), reason part
                Arguments.of("YAML syntax", "    effect: hold\n", "    effect: [hold\n", "5:", "YAML syntax error"),
                Arguments.of("unknown field", "    severity: warning", "    severty: warning", "3:5", "unknown rule field 'severty'; did you mean 'severity'?"),
                Arguments.of("duplicate key", "    effect: hold\n", "    effect: hold\n    effect: notify\n", "5:5", "duplicate key 'effect'"),
                Arguments.of("missing within", "    within: 1m\n", "", "2:5", "missing 'within'"),
                Arguments.of("unknown severity", "severity: warning", "severity: urgent", "3:15", "unknown severity the text 'urgent' (known: info, warning, critical)"),
                Arguments.of("unknown effect", "effect: hold", "effect: rolback", "4:13", "did you mean 'rollback'?"),
                Arguments.of("CEL syntax", "condition: latencyMs > params.maxLatencyMs", "condition: latencyMs > > 3", "10:32", "CEL syntax error in condition"),
                Arguments.of("CEL unknown field", "condition: latencyMs > params.maxLatencyMs", "condition: latncyMs > params.maxLatencyMs", "10:20", "undeclared reference to 'latncyMs'; did you mean 'latencyMs'?"),
                Arguments.of("CEL not bool", "condition: latencyMs > params.maxLatencyMs", "condition: latencyMs + 1.0", "10:30", "a condition must be of type bool but found 'double'"),
                Arguments.of("CEL type mismatch", "condition: latencyMs > params.maxLatencyMs", "condition: status > 5.0", "10:", "CEL type error in condition: found no matching overload for '_>_' applied to '(string, double)'"),
                Arguments.of("unknown param", "condition: latencyMs > params.maxLatencyMs", "condition: latencyMs > params.maxLatncyMs", "10:", "unknown param 'maxLatncyMs'"),
                Arguments.of("times 0", "times: 3", "times: 0", "11:16", "impossible quantifier: times 0 (must be at least 1)"),
                Arguments.of("times min above max", "times: 3", "times: [5, 3]", "11:16", "impossible quantifier: times [5, 3] has its minimum above its maximum"),
                Arguments.of("two quantifiers", "times: 3", "times: 3\n        oneOrMore: true", "9:9", "one of 'times', 'timesOrMore' and 'oneOrMore'"),
                Arguments.of("greedy last step", "times: 3", "times: 3\n        greedy: true", "12:9", "greedy last step"),
                Arguments.of("consecutive without loop", "times: 3", "consecutive: true", "11:9", "'consecutive' applies to a looping step"),
                Arguments.of("contiguity on first step", "times: 3", "times: 3\n        contiguity: next", "12:9", "the first step has no 'contiguity'"),
                Arguments.of("unknown contiguity", "        times: 3\n", "        times: 3\n      - name: then\n        contiguity: folowedBy\n        condition: status == 'error'\n", "13:21", "unknown contiguity 'folowedBy'"),
                Arguments.of("notNext at the end", "        times: 3\n", "        times: 3\n      - name: then\n        contiguity: notNext\n        condition: status == 'error'\n", "13:21", "cannot end with notNext"),
                Arguments.of("quantified negation", "        times: 3\n", "        times: 3\n      - name: then\n        contiguity: notFollowedBy\n        times: 2\n        condition: status == 'error'\n", "12:9", "takes no quantifier"),
                Arguments.of("duplicate step name", "        times: 3\n", "        times: 3\n      - name: slow\n        condition: status == 'error'\n", "12:15", "duplicate step name 'slow'"),
                Arguments.of("bad duration", "within: 1m", "within: 1 minute", "12:13", "'within' must be a duration such as 30s"),
                Arguments.of("unknown placeholder", "{count} over", "{cnt} over", "13:21", "unknown message placeholder {cnt}"),
                Arguments.of("bad rule id", "id: slow-canary", "id: Slow Canary", "2:9", "rule id 'Slow Canary' must be lower-case"),
                Arguments.of("unknown metric", "    input: telemetry\n", "    input: metrics\n", "10:20", "undeclared reference to 'latencyMs'"),
                Arguments.of("metrics rule with cohorts", "    input: telemetry\n", "    input: telemetry\n    scope: {cohorts: [canary, canry]}\n", "6:", "unknown cohort 'canry'"),
                Arguments.of("skipToFirst unknown step", "    within: 1m\n", "    within: 1m\n    afterMatch: {skipToFirst: fast}\n", "13:31", "skipToFirst names no step of this pattern"),
                Arguments.of("param not scalar", "maxLatencyMs: 2000", "maxLatencyMs: [1, 2]", "7:21", "param 'maxLatencyMs' must be a number"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void eachMistakeIsReportedWhereItIsWithAPlainReason(String what, String from, String to, String where, String reason) {
        assertThat(VALID).contains(from);
        String text = VALID.replace(from, to);
        RuleException refused = refuse(text);
        assertThat(refused.problems()).as(what).anySatisfy(p -> {
            assertThat(p.toString()).startsWith("rules/x.yaml:" + where);
            assertThat(p.reason()).contains(reason);
        });
        assertThat(refused.getMessage()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void theMetricsSchemaChecksMetricNames() {
        String text = """
                id: latency
                severity: critical
                effect: rollback
                input: metrics
                pattern:
                  - name: slow
                    condition: canary.latncyP95 > baseline.latencyP95 * 2.0
                within: 1m
                message: slow
                """;
        assertThat(refuse(text).problems()).anySatisfy(p -> {
            assertThat(p.toString()).startsWith("rules/x.yaml:7:22: ");
            assertThat(p.reason()).contains("unknown metric 'canary.latncyP95'").contains("did you mean 'latencyP95'?");
        });
    }

    @Test
    void everyProblemOfAFileIsReportedAtOnceInFileOrder() {
        String text = VALID.replace("severity: warning", "severity: urgent").replace("times: 3", "times: 0")
                .replace("within: 1m", "within: soon");
        assertThat(refuse(text).problems()).extracting(p -> p.line()).containsExactly(3, 11, 12);
    }

    @Test
    void duplicateRuleIdsAcrossFilesAreRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.yaml"), VALID);
        Files.writeString(dir.resolve("b.yaml"), VALID);
        assertThatCode(() -> RuleParser.parseDirectory(dir)).isInstanceOf(RuleException.class)
                .hasMessageContaining("b.yaml:1:1: duplicate rule id 'slow-canary' (also in " + dir.resolve("a.yaml") + ")");
    }

    @Test
    void theCliPrintsProblemsWithoutStackTracesAndExitsTwo(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("broken.yaml"), VALID.replace("times: 3", "times: [5, 3]"));
        Files.writeString(dir.resolve("empty.yaml"), "");
        Files.write(dir.resolve("binary.yaml"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        Files.writeString(dir.resolve("list.yaml"), "- 1\n- 2\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = GraylightCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));

        int exit = cli.execute("rules", "validate", dir.toString(), dir.resolve("missing").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString())
                .contains(dir.resolve("broken.yaml") + ":11:16: impossible quantifier")
                .contains(dir.resolve("empty.yaml") + ":1:1: empty rule file")
                .contains(dir.resolve("binary.yaml") + ": cannot read: not UTF-8 text")
                .contains(dir.resolve("list.yaml") + ":1:1: a rule file is a mapping")
                .contains(dir.resolve("missing") + ": cannot read: no such file or directory")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void theShippedRulesAreValid() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = GraylightCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int exit = cli.execute("rules", "validate", ShippedRulesTest.repoRoot().resolve("cep-rules").toString());
        assertThat(err.toString()).isEmpty();
        assertThat(exit).isZero();
        assertThat(out.toString().lines()).hasSize(10).allMatch(l -> l.contains(": ok: "));
    }

    private static RuleException refuse(String text) {
        try {
            RuleParser.parse(text, "rules/x.yaml");
        } catch (RuleException e) {
            return e;
        }
        throw new AssertionError("accepted:\n" + text + new String(new byte[0], StandardCharsets.UTF_8));
    }
}
