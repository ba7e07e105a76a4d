package io.graylight.rollout;

import io.graylight.contracts.decision.Action;
import io.graylight.contracts.decision.Evidence;
import java.util.List;

/**
 * What a rollout decided, before it is numbered and stamped as a {@code DecisionRecord}.
 *
 * @param stage index into the plan's stages
 * @param canaryPercent the traffic share the router should give the canary from now on
 * @param eventTimeMillis event time of the evidence that triggered it
 * @param reason one line for people
 */
public record Decision(
        Action action, int stage, double canaryPercent, long eventTimeMillis, String reason, List<Evidence> evidence) {

    public Decision {
        evidence = List.copyOf(evidence);
    }

    public boolean endsRollout() {
        return action == Action.ROLLBACK || action == Action.COMPLETE;
    }
}
