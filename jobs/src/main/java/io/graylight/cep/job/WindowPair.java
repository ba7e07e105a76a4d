package io.graylight.cep.job;

import io.graylight.contracts.metrics.CohortMetrics;

/**
 * The canary's and the baseline's metrics of one window of one release; a side without traffic in
 * the window is null (read by rules as zero requests and NaN rates).
 */
public record WindowPair(String release, long windowStart, long windowEnd, CohortMetrics canary, CohortMetrics baseline) {

    public String id() {
        return release + "@" + windowEnd;
    }
}
