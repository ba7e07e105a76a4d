package io.graylight.cep.rules;

import java.util.List;
import java.util.stream.Collectors;

/** Refused rule files, with every problem found, one {@code file:line:column: reason} per line. */
public final class RuleException extends Exception {

    private final List<RuleProblem> problems;

    public RuleException(List<RuleProblem> problems) {
        super(problems.stream().map(RuleProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<RuleProblem> problems() {
        return problems;
    }
}
