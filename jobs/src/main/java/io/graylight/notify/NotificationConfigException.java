package io.graylight.notify;

import io.graylight.rollout.plan.PlanProblem;
import java.util.List;
import java.util.stream.Collectors;

/** A refused {@code notifications.yaml}: every problem as {@code file:line:column: reason}, in file order. */
public final class NotificationConfigException extends Exception {

    private final List<PlanProblem> details;

    public NotificationConfigException(List<PlanProblem> details) {
        super(details.stream().sorted().map(PlanProblem::toString).collect(Collectors.joining("\n")));
        this.details = details.stream().sorted().toList();
    }

    public List<String> problems() {
        return details.stream().map(PlanProblem::toString).toList();
    }
}
