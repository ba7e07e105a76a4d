package io.graylight.stats;

/** The statistical shape of a guard metric, which decides the confidence sequence it gets. */
public enum MetricKind {
    /** 0/1 per request (error, timeout, refusal, negative feedback): exact beta-binomial CS. */
    PROPORTION,
    /** A mean of values in [0, 1] (quality score): exact empirical-Bernstein CS. */
    BOUNDED_MEAN,
    /** A mean of non-negative, unbounded values (cost): asymptotic Gaussian-mixture CS. */
    UNBOUNDED_MEAN,
    /** A quantile of non-negative values (latency, TTFT): exact order-statistic CS on a sketch. */
    QUANTILE
}
