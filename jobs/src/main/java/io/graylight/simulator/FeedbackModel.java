package io.graylight.simulator;

import io.graylight.contracts.telemetry.RequestStatus;

/**
 * Whether a user rates a request, how, and when. Thumbs-down grows as quality falls below its
 * usual level, and most failed requests that get rated get a thumbs-down.
 */
final class FeedbackModel {

    /** Thumbs-down probability of an ok answer of typical quality. */
    static final double BASE_THUMBS_DOWN = 0.10;
    /** Extra thumbs-down probability per point of quality below {@link #TYPICAL_QUALITY}. */
    static final double THUMBS_DOWN_PER_QUALITY = 2.0;
    static final double TYPICAL_QUALITY = 0.8;
    static final double FAILED_THUMBS_DOWN = 0.7;
    /** Users click a few seconds after the answer is complete; median of the log-normal delay. */
    static final double MEDIAN_DELAY_MS = 5_000;
    static final double DELAY_SIGMA = 0.8;

    private FeedbackModel() {}

    /** A rating, {@code delayMs} after the request started. */
    record Rating(int score, long delayMs) {}

    /** The user's rating of a request, or null if they give none; always draws three numbers. */
    static Rating rate(SimRandom random, RequestModel.Outcome outcome, FaultEffects faults, double feedbackProbability) {
        boolean gives = random.nextDouble() < feedbackProbability;
        double downDraw = random.nextDouble();
        double delayNoise = SimRandom.logNormal(random.nextGaussian(), DELAY_SIGMA);
        if (!gives) {
            return null;
        }
        double thumbsDown;
        if (outcome.status() == RequestStatus.OK) {
            double quality = outcome.qualityScore();
            thumbsDown = clamp(BASE_THUMBS_DOWN + THUMBS_DOWN_PER_QUALITY * (TYPICAL_QUALITY - quality), 0.02, 0.95);
        } else {
            thumbsDown = FAILED_THUMBS_DOWN;
        }
        thumbsDown = clamp(thumbsDown + faults.extraThumbsDownProbability(), 0.0, 1.0);
        int score = downDraw < thumbsDown ? -1 : 1;
        long delayMs = Math.round(outcome.latencyMs() + 1_000 + MEDIAN_DELAY_MS * delayNoise);
        return new Rating(score, delayMs);
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }
}
