package io.graylight.rollout.plan;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A refused plan with every problem found, in file order, one {@code file:line:column: reason} per
 * line of the message.
 */
public final class PlanException extends Exception {

    private final List<PlanProblem> details;

    public PlanException(List<PlanProblem> details) {
        super(details.stream().map(PlanProblem::toString).collect(Collectors.joining("\n")));
        if (details.isEmpty()) {
            throw new IllegalArgumentException("a refused plan needs at least one problem");
        }
        this.details = List.copyOf(details);
    }

    /** Each problem as {@code file:line:column: reason}, in file order. */
    public List<String> problems() {
        return details.stream().map(PlanProblem::toString).toList();
    }

    public List<PlanProblem> details() {
        return details;
    }
}
