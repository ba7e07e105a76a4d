package io.graylight.simulator;

import io.graylight.contracts.telemetry.Cohort;
import java.util.List;

/**
 * The combined effect of the faults active for one cohort at one moment. Several faults of one
 * kind add up (probabilities, drops) or compound (multipliers).
 */
record FaultEffects(
        double extraErrorProbability,
        double latencyMultiplier,
        double stallProbability,
        double ttftMultiplier,
        double qualityDrop,
        double extraThumbsDownProbability,
        double costMultiplier,
        boolean silent) {

    static final FaultEffects NONE = new FaultEffects(0, 1, 0, 1, 0, 0, 1, false);

    /** Effects on {@code cohort} at {@code offsetMillis} of event time after the simulation start. */
    static FaultEffects at(List<Fault> faults, Cohort cohort, long offsetMillis) {
        if (faults.isEmpty()) {
            return NONE;
        }
        double error = 0;
        double latency = 1;
        double stalls = 0;
        double ttft = 1;
        double quality = 0;
        double thumbsDown = 0;
        double cost = 1;
        boolean silent = false;
        boolean any = false;
        for (Fault fault : faults) {
            boolean hits = cohort == Cohort.CANARY || fault.target() == Fault.Target.BOTH;
            if (!hits || offsetMillis < fault.start().toMillis()) {
                continue;
            }
            any = true;
            double m = fault.magnitude();
            switch (fault.kind()) {
                case ERROR_RATE -> error += m;
                case LATENCY -> latency *= m;
                case TAIL_STALLS -> stalls += m;
                case TTFT -> ttft *= m;
                case QUALITY_DROP -> quality += m;
                case NEGATIVE_FEEDBACK -> thumbsDown += m;
                case COST -> cost *= m;
                case SILENCE -> silent = true;
                default -> throw new IllegalStateException("unhandled fault kind " + fault.kind());
            }
        }
        return any ? new FaultEffects(error, latency, stalls, ttft, quality, thumbsDown, cost, silent) : NONE;
    }
}
