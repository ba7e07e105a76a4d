package io.graylight.contracts.command;

/**
 * What an operator asks of a rollout. Only {@link #START} carries a plan; the others name the
 * release they act on.
 */
public enum CommandType {
    /** Begin a rollout with the plan in the command (replaces a finished rollout's plan). */
    START,
    /** Freeze the rollout at its current stage; guards keep judging, and a regression still rolls back. */
    PAUSE,
    /** Continue a paused rollout. */
    RESUME,
    /** Roll back to the baseline now and end the rollout. */
    ABORT,
    /** Move to the next stage now, without waiting for the dwell time or the evidence. */
    PROMOTE;

    public boolean carriesPlan() {
        return this == START;
    }
}
