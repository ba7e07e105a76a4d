package io.graylight.anomaly;

import io.graylight.contracts.metrics.CohortMetrics;

/**
 * Both cohorts' metrics of one release for one window, with the ground truth of a simulation.
 *
 * @param faulty whether a simulated fault was active for the whole window
 * @param incident whether that fault hit both cohorts
 */
public record WindowPair(CohortMetrics canary, CohortMetrics baseline, boolean faulty, boolean incident) {}
