package io.graylight.cep;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.cep.compile.RuleCompiler;
import io.graylight.cep.job.RuleEvent;
import io.graylight.cep.rules.Rule;
import io.graylight.cep.rules.RuleParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * Each quantifier and contiguity of the rule format, compiled by {@link RuleCompiler} and run by
 * Flink's own CEP operator (operator harness, event time). An event is written as
 * {@code name:steps@seconds}: {@code a1:0@1} matches step 0 at t=1 s, {@code x:@2} matches no step.
 */
class RuleCompilerTest {

    @Test
    void timesIsRelaxedWithinTheLoopByDefault() throws Exception {
        Rule rule = rule("within: 1m", step("a", "times: 3"));
        assertThat(run(rule, "a1:0@1", "a2:0@2", "x:@3", "a3:0@4")).containsExactly("a1 a2 a3");
    }

    @Test
    void consecutiveTimesNeedsARunWithoutOtherEvents() throws Exception {
        Rule rule = rule("within: 1m", step("a", "times: 3\n        consecutive: true"));
        assertThat(run(rule, "a1:0@1", "a2:0@2", "x:@3", "a3:0@4", "a4:0@5", "a5:0@6")).containsExactly("a3 a4 a5");
    }

    @Test
    void aTimesRangeMatchesFromItsMinimumAndSkipsPastTheMatch() throws Exception {
        Rule rule = rule("within: 1m", step("a", "times: [2, 3]"));
        assertThat(run(rule, "a1:0@1", "a2:0@2", "a3:0@3", "a4:0@4")).containsExactly("a1 a2", "a3 a4");
        Rule noSkip = rule("within: 1m\n    afterMatch: noSkip", step("a", "times: [2, 3]"));
        assertThat(run(noSkip, "a1:0@1", "a2:0@2", "a3:0@3"))
                .containsExactlyInAnyOrder("a1 a2", "a1 a2 a3", "a2 a3");
    }

    @Test
    void oneOrMoreThenAStepTakesTheWholeRunOnce() throws Exception {
        Rule rule = rule("within: 1m", step("a", "oneOrMore: true"), step("b", "contiguity: followedBy"));
        assertThat(run(rule, "a1:0@1", "a2:0@2", "b1:1@3", "b2:1@4")).containsExactly("a1 a2 b1");
    }

    @Test
    void timesOrMoreNeedsItsMinimum() throws Exception {
        Rule rule = rule("within: 1m", step("a", "timesOrMore: 3"), step("b", "contiguity: followedBy"));
        assertThat(run(rule, "a1:0@1", "a2:0@2", "b1:1@3")).isEmpty();
        assertThat(run(rule, "a1:0@1", "a2:0@2", "a3:0@3", "b1:1@4")).containsExactly("a1 a2 a3 b1");
    }

    @Test
    void anOptionalStepMayBeMissing() throws Exception {
        Rule rule = rule("within: 1m", step("a", "optional: true"), step("b", "contiguity: followedBy"));
        assertThat(run(rule, "b1:1@1")).containsExactly("b1");
        assertThat(run(rule, "a1:0@1", "b1:1@2")).containsExactly("a1 b1");
    }

    @Test
    void greedyTakesEventsThatAlsoMatchTheNextStep() throws Exception {
        // c1 and c2 match both steps: greedy keeps them in the loop while the loop can take them
        Rule greedy = rule("within: 1m", step("a", "oneOrMore: true\n        greedy: true"), step("b", "contiguity: next"));
        assertThat(run(greedy, "a1:0@1", "c1:01@2", "c2:01@3", "b1:1@4")).contains("a1 c1 c2 b1");
        Rule reluctant = rule("within: 1m", step("a", "oneOrMore: true"), step("b", "contiguity: next"));
        assertThat(run(reluctant, "a1:0@1", "c1:01@2", "c2:01@3", "b1:1@4")).first().isEqualTo("a1 c1");
    }

    @Test
    void allowCombinationsMatchesNonContiguousSubsets() throws Exception {
        Rule rule = rule("within: 1m\n    afterMatch: noSkip", step("a", "times: 2\n        allowCombinations: true"),
                step("b", "contiguity: followedBy"));
        assertThat(run(rule, "a1:0@1", "a2:0@2", "a3:0@3", "b1:1@4"))
                .containsExactlyInAnyOrder("a1 a2 b1", "a1 a3 b1", "a2 a3 b1");
        Rule plain = rule("within: 1m\n    afterMatch: noSkip", step("a", "times: 2"), step("b", "contiguity: followedBy"));
        assertThat(run(plain, "a1:0@1", "a2:0@2", "a3:0@3", "b1:1@4")).containsExactlyInAnyOrder("a1 a2 b1", "a2 a3 b1");
    }

    @Test
    void nextNeedsTheVeryNextEvent() throws Exception {
        Rule rule = rule("within: 1m", step("a", ""), step("b", "contiguity: next"));
        assertThat(run(rule, "a1:0@1", "x:@2", "b1:1@3")).isEmpty();
        assertThat(run(rule, "a1:0@1", "b1:1@2")).containsExactly("a1 b1");
    }

    @Test
    void followedBySkipsOtherEventsAndTakesTheFirstMatch() throws Exception {
        Rule rule = rule("within: 1m", step("a", ""), step("b", "contiguity: followedBy"));
        assertThat(run(rule, "a1:0@1", "x:@2", "b1:1@3", "b2:1@4")).containsExactly("a1 b1");
    }

    @Test
    void followedByAnyTakesEveryLaterMatch() throws Exception {
        Rule rule = rule("within: 1m\n    afterMatch: noSkip", step("a", ""), step("b", "contiguity: followedByAny"));
        assertThat(run(rule, "a1:0@1", "b1:1@2", "b2:1@3")).containsExactlyInAnyOrder("a1 b1", "a1 b2");
    }

    @Test
    void notNextForbidsOnlyTheVeryNextEvent() throws Exception {
        Rule rule = rule("within: 1m", step("a", ""), step("c", "contiguity: notNext"), step("b", "contiguity: followedBy"));
        assertThat(run(rule, "a1:0@1", "c1:1@2", "b1:2@3")).isEmpty();
        assertThat(run(rule, "a1:0@1", "x:@2", "c1:1@3", "b1:2@4")).containsExactly("a1 b1");
    }

    @Test
    void notFollowedByInTheMiddleForbidsAnyEventBetween() throws Exception {
        Rule rule = rule("within: 1m", step("a", ""), step("c", "contiguity: notFollowedBy"), step("b", "contiguity: followedBy"));
        assertThat(run(rule, "a1:0@1", "x:@2", "c1:1@3", "b1:2@4")).isEmpty();
        assertThat(run(rule, "a1:0@1", "x:@2", "b1:2@3")).containsExactly("a1 b1");
    }

    @Test
    void notFollowedByAtTheEndFiresWhenWithinPassesWithoutTheEvent() throws Exception {
        Rule rule = rule("within: 10s", step("a", ""), step("c", "contiguity: notFollowedBy"));
        assertThat(run(rule, "a1:0@1", "x:@5")).isEmpty(); // the watermark has not passed 11 s yet
        assertThat(run(rule, "a1:0@1", "x:@5", "y:@30")).containsExactly("a1");
        assertThat(run(rule, "a1:0@1", "c1:1@5", "y:@30")).isEmpty();
        assertThat(run(rule, "a1:0@1", "c1:1@15", "y:@30")).containsExactly("a1"); // c came after the bound
    }

    @Test
    void withinDropsPartialMatchesThatTakeTooLong() throws Exception {
        Rule rule = rule("within: 10s", step("a", ""), step("b", "contiguity: followedBy"));
        assertThat(run(rule, "a1:0@1", "b1:1@15")).isEmpty();
        assertThat(run(rule, "a1:0@1", "b1:1@9")).containsExactly("a1 b1");
    }

    @Test
    void theUidChangesWithTheShapeOnly() throws Exception {
        Rule base = rule("within: 10s", step("a", "times: 3"));
        Rule otherCondition = RuleParser.parse(yaml("within: 10s", step("a", "times: 3")).replace("condition: \"true\"",
                "condition: latencyMs > 5.0"), "r.yaml").get(0);
        Rule otherTimes = rule("within: 10s", step("a", "times: 4"));
        Rule otherWithin = rule("within: 20s", step("a", "times: 3"));
        assertThat(otherCondition.uid()).isEqualTo(base.uid()).startsWith("cep-r-");
        assertThat(List.of(otherTimes.uid(), otherWithin.uid())).doesNotContain(base.uid()).doesNotHaveDuplicates();
    }

    // --- helpers ---

    static String step(String name, String extra) {
        return "  - name: " + name + "\n    condition: \"true\"\n"
                + (extra.isEmpty() ? "" : "    " + extra.replace("\n        ", "\n    ") + "\n");
    }

    static String yaml(String tail, String... steps) {
        return "id: r\nseverity: info\neffect: notify\npattern:\n" + String.join("", steps)
                + tail.replace("\n    ", "\n") + "\nmessage: m\n";
    }

    static Rule rule(String tail, String... steps) throws Exception {
        return RuleParser.parse(yaml(tail, steps), "r.yaml").get(0);
    }

    /** Runs the rule's pattern over the events on one key and returns each match as its event names. */
    static List<String> run(Rule rule, String... events) throws Exception {
        CepOperator<RuleEvent, String, String> operator = new CepOperator<>(
                TypeInformation.of(RuleEvent.class).createSerializer(new ExecutionConfig().getSerializerConfig()),
                false,
                NFACompiler.compileFactory(RuleCompiler.compile(rule), false),
                null,
                RuleCompiler.compile(rule).getAfterMatchSkipStrategy(),
                new PatternProcessFunction<RuleEvent, String>() {
                    @Override
                    public void processMatch(Map<String, List<RuleEvent>> match, Context ctx, Collector<String> out) {
                        List<String> names = new ArrayList<>();
                        for (var step : rule.steps()) {
                            match.getOrDefault(step.name(), List.of()).forEach(e -> names.add(e.eventId));
                        }
                        out.collect(String.join(" ", names));
                    }
                },
                null);
        try (KeyedOneInputStreamOperatorTestHarness<String, RuleEvent, String> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(operator, e -> e.key, Types.STRING)) {
            harness.open();
            for (String spec : events) {
                String name = spec.substring(0, spec.indexOf(':'));
                String steps = spec.substring(spec.indexOf(':') + 1, spec.indexOf('@'));
                long t = Long.parseLong(spec.substring(spec.indexOf('@') + 1)) * 1000;
                long mask = 0;
                for (char c : steps.toCharArray()) {
                    mask |= 1L << (c - '0');
                }
                harness.processElement(new RuleEvent("k", "rel", "canary", name, t, mask, null), t);
                harness.processWatermark(new Watermark(t));
            }
            return new ArrayList<>(harness.extractOutputValues());
        }
    }
}
