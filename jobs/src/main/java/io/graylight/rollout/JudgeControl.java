package io.graylight.rollout;

import io.graylight.contracts.alert.Alert;
import io.graylight.contracts.command.RolloutCommand;

/**
 * The judge's second input: an operator command or an alert, exactly one of them. Both are rare
 * and keyed by release, so they share one input and leave telemetry the other.
 */
public record JudgeControl(RolloutCommand command, Alert alert) {

    public static JudgeControl of(RolloutCommand command) {
        return new JudgeControl(command, null);
    }

    public static JudgeControl of(Alert alert) {
        return new JudgeControl(null, alert);
    }

    public String release() {
        return command != null ? command.release() : alert.release();
    }
}
