package io.graylight.cep.compile;

import io.graylight.cep.job.RuleEvent;
import io.graylight.cep.rules.AfterMatch;
import io.graylight.cep.rules.Rule;
import io.graylight.cep.rules.Step;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.pattern.MalformedPatternException;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/**
 * Compiles a rule's shape to a Flink CEP {@link Pattern} over {@link RuleEvent}s. A step's
 * condition is the step's bit in {@link RuleEvent#matches}: the CEL condition itself was evaluated
 * upstream with the live parameters ({@code RuleConditions}), so the pattern depends only on the
 * rule's shape, and so does the operator uid ({@link Rule#uid()}).
 */
public final class RuleCompiler {

    private RuleCompiler() {}

    public static Pattern<RuleEvent, RuleEvent> compile(Rule rule) {
        AfterMatchSkipStrategy skip = skip(rule.afterMatch());
        Pattern<RuleEvent, RuleEvent> pattern = null;
        for (int i = 0; i < rule.steps().size(); i++) {
            Step step = rule.steps().get(i);
            if (pattern == null) {
                pattern = Pattern.<RuleEvent>begin(step.name(), skip);
            } else {
                pattern = switch (step.contiguity()) {
                    case NEXT -> pattern.next(step.name());
                    case FOLLOWED_BY -> pattern.followedBy(step.name());
                    case FOLLOWED_BY_ANY -> pattern.followedByAny(step.name());
                    case NOT_NEXT -> pattern.notNext(step.name());
                    case NOT_FOLLOWED_BY -> pattern.notFollowedBy(step.name());
                };
            }
            pattern = pattern.where(new StepMatches(i));
            if (step.looping()) {
                if (step.timesMax() == Integer.MAX_VALUE) {
                    pattern = step.timesMin() == 1 ? pattern.oneOrMore() : pattern.timesOrMore(step.timesMin());
                } else if (step.timesMin().equals(step.timesMax())) {
                    pattern = pattern.times(step.timesMin());
                } else {
                    pattern = pattern.times(step.timesMin(), step.timesMax());
                }
                if (step.consecutive()) {
                    pattern = pattern.consecutive();
                }
                if (step.allowCombinations()) {
                    pattern = pattern.allowCombinations();
                }
                if (step.greedy()) {
                    pattern = pattern.greedy();
                }
            }
            if (step.optional()) {
                pattern = pattern.optional();
            }
        }
        return pattern.within(rule.within());
    }

    /** Flink's own objection to the compiled pattern, or null when it accepts it. */
    public static String check(Rule rule) {
        try {
            NFACompiler.compileFactory(compile(rule), false);
            return null;
        } catch (MalformedPatternException | IllegalArgumentException | IllegalStateException | NullPointerException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    static AfterMatchSkipStrategy skip(AfterMatch afterMatch) {
        return switch (afterMatch.kind()) {
            case NO_SKIP -> AfterMatchSkipStrategy.noSkip();
            case SKIP_TO_NEXT -> AfterMatchSkipStrategy.skipToNext();
            case SKIP_PAST_LAST_EVENT -> AfterMatchSkipStrategy.skipPastLastEvent();
            case SKIP_TO_FIRST -> AfterMatchSkipStrategy.skipToFirst(afterMatch.step());
            case SKIP_TO_LAST -> AfterMatchSkipStrategy.skipToLast(afterMatch.step());
        };
    }

    /** Step i holds for an event when bit i is set: evaluated upstream, see {@link RuleEvent}. */
    public static final class StepMatches extends SimpleCondition<RuleEvent> {
        private final int step;

        public StepMatches(int step) {
            this.step = step;
        }

        @Override
        public boolean filter(RuleEvent event) {
            return event.matches(step);
        }
    }

}
