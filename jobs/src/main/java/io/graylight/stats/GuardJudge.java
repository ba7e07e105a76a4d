package io.graylight.stats;

import io.graylight.contracts.telemetry.Cohort;

/**
 * Compares one guard metric between the baseline and the canary cohort of one release, fed one
 * observation at a time. Sample sizes are the observed ones, never the nominal traffic split.
 */
public interface GuardJudge {

    GuardSpec spec();

    /** One request's value: 0/1 for a proportion, else the metric's value. */
    void observe(boolean canary, double value);

    default void observe(Cohort cohort, double value) {
        observe(cohort == Cohort.CANARY, value);
    }

    Verdict verdict(double alpha);

    GuardEvidence evidence(double alpha);

    long samples(boolean canary);

    /** Forget all observations, e.g. when a new stage starts. */
    void reset();
}
