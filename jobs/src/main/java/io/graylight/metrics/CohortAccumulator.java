package io.graylight.metrics;

import io.graylight.contracts.metrics.CohortMetrics;
import io.graylight.contracts.telemetry.RequestStatus;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.stats.QuantileSketch;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Running totals of one cohort of one release within one window: counters and two latency
 * sketches, so the state of a window is bounded however many requests it sees.
 */
@TypeInfo(CohortAccumulatorTypeInfoFactory.class)
public final class CohortAccumulator {

    private static final RequestStatus[] STATUSES = RequestStatus.values();

    String release;
    String cohort;
    final long[] statusCounts = new long[STATUSES.length];
    QuantileSketch latency = new QuantileSketch();
    QuantileSketch ttft = new QuantileSketch();
    long inputTokens;
    long outputTokens;
    double costUsd;
    long costSamples;
    double qualitySum;
    long qualitySamples;
    long feedbackUp;
    long feedbackDown;

    public void add(TelemetryEvent event) {
        add(MetricSample.of(event));
    }

    public void add(MetricSample sample) {
        if (release == null) {
            release = sample.release;
            cohort = sample.cohort;
        }
        if (sample.isFeedback()) {
            if (sample.score > 0) {
                feedbackUp++;
            } else {
                feedbackDown++;
            }
            return;
        }
        statusCounts[sample.status]++;
        latency.add(sample.latencyMs);
        if (!Double.isNaN(sample.ttftMs)) {
            ttft.add(sample.ttftMs);
        }
        if (sample.inputTokens >= 0) {
            inputTokens += sample.inputTokens;
        }
        if (sample.outputTokens >= 0) {
            outputTokens += sample.outputTokens;
        }
        if (!Double.isNaN(sample.costUsd)) {
            costUsd += sample.costUsd;
            costSamples++;
        }
        if (!Double.isNaN(sample.qualityScore)) {
            qualitySum += sample.qualityScore;
            qualitySamples++;
        }
    }

    public CohortAccumulator merge(CohortAccumulator other) {
        if (release == null) {
            release = other.release;
            cohort = other.cohort;
        }
        for (int i = 0; i < statusCounts.length; i++) {
            statusCounts[i] += other.statusCounts[i];
        }
        latency.merge(other.latency);
        ttft.merge(other.ttft);
        inputTokens += other.inputTokens;
        outputTokens += other.outputTokens;
        costUsd += other.costUsd;
        costSamples += other.costSamples;
        qualitySum += other.qualitySum;
        qualitySamples += other.qualitySamples;
        feedbackUp += other.feedbackUp;
        feedbackDown += other.feedbackDown;
        return this;
    }

    public long requests() {
        long total = 0;
        for (long count : statusCounts) {
            total += count;
        }
        return total;
    }

    public long count(RequestStatus status) {
        return statusCounts[status.ordinal()];
    }

    public CohortMetrics toMetrics(Instant windowStart, Instant windowEnd) {
        long requests = requests();
        long feedback = feedbackUp + feedbackDown;
        return new CohortMetrics(
                release, cohort, windowStart, windowEnd,
                requests,
                count(RequestStatus.OK),
                count(RequestStatus.ERROR),
                count(RequestStatus.TIMEOUT),
                count(RequestStatus.RATE_LIMITED),
                count(RequestStatus.FILTERED),
                rate(count(RequestStatus.ERROR), requests),
                rate(count(RequestStatus.TIMEOUT), requests),
                rate(count(RequestStatus.RATE_LIMITED), requests),
                rate(count(RequestStatus.FILTERED), requests),
                latency.quantile(0.50),
                latency.quantile(0.90),
                latency.quantile(0.95),
                latency.quantile(0.99),
                ttft.count(),
                ttft.quantile(0.50),
                ttft.quantile(0.95),
                inputTokens,
                outputTokens,
                costUsd,
                costSamples == 0 ? null : costUsd / costSamples,
                qualitySamples,
                qualitySamples == 0 ? null : qualitySum / qualitySamples,
                feedbackUp,
                feedbackDown,
                feedback == 0 ? null : (double) feedbackDown / feedback);
    }

    private static double rate(long count, long total) {
        return total == 0 ? 0.0 : (double) count / total;
    }
}
