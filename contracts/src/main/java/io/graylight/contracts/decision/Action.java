package io.graylight.contracts.decision;

/** What a decision tells the router and the operators. */
public enum Action {
    START, PROMOTE, HOLD, ROLLBACK, COMPLETE, PAUSE, RESUME
}
