package io.graylight.contracts.metrics;

import java.time.Instant;

/**
 * Metrics of one cohort of one release over one event-time window, as written to
 * {@code graylight.metrics}. Rates are fractions of {@code requests}; percentiles come from a
 * DDSketch with at most 1 % relative error and are null when the window had no sample.
 * Feedback events count towards {@code feedbackUp}/{@code feedbackDown}, not {@code requests}.
 */
public record CohortMetrics(
        String release,
        String cohort,
        Instant windowStart,
        Instant windowEnd,
        long requests,
        long ok,
        long errors,
        long timeouts,
        long rateLimited,
        long filtered,
        double errorRate,
        double timeoutRate,
        double rateLimitedRate,
        double filteredRate,
        Double latencyP50,
        Double latencyP90,
        Double latencyP95,
        Double latencyP99,
        long ttftSamples,
        Double ttftP50,
        Double ttftP95,
        long inputTokens,
        long outputTokens,
        double costUsd,
        Double costPerRequest,
        long qualitySamples,
        Double qualityMean,
        long feedbackUp,
        long feedbackDown,
        Double negativeFeedbackRate) {

    /** Every valid event this window counted: requests and feedback. */
    public long events() {
        return requests + feedbackUp + feedbackDown;
    }
}
