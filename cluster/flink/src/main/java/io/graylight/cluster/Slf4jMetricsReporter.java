package io.graylight.cluster;

import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.HistogramStatistics;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.Scheduled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the metrics it is given to the log, one line each, every reporting interval
 * ({@code metrics.reporter.log.interval}). Flink 1.20 ships its SLF4J reporter as a separate
 * artifact that is not served here, so the local cluster brings this one; which metrics it sees
 * is chosen in config.yaml with the reporter's {@code filter.includes}, not here. On a cluster with
 * Prometheus, use Flink's own Prometheus reporter instead.
 */
public final class Slf4jMetricsReporter implements MetricReporter, Scheduled {

    private static final Logger LOG = LoggerFactory.getLogger(Slf4jMetricsReporter.class);

    // sorted, so a job's figures sit together in the log; reporter callbacks and report() run on
    // different threads, hence the lock
    private final Map<String, Metric> metrics = new TreeMap<>();

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {
        synchronized (metrics) {
            metrics.clear();
        }
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        synchronized (metrics) {
            metrics.put(group.getMetricIdentifier(name), metric);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        synchronized (metrics) {
            metrics.remove(group.getMetricIdentifier(name));
        }
    }

    @Override
    public void report() {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        synchronized (metrics) {
            if (metrics.isEmpty()) {
                return;
            }
            for (Map.Entry<String, Metric> entry : metrics.entrySet()) {
                lines.append('\n').append(entry.getKey()).append(": ").append(value(entry.getValue()));
            }
        }
        LOG.info("metrics ({}):{}", metrics.size(), lines);
    }

    static String value(Metric metric) {
        try {
            if (metric instanceof Counter counter) {
                return Long.toString(counter.getCount());
            }
            if (metric instanceof Gauge<?> gauge) {
                return String.valueOf(gauge.getValue());
            }
            if (metric instanceof Meter meter) {
                return meter.getRate() + "/s (count " + meter.getCount() + ")";
            }
            if (metric instanceof Histogram histogram) {
                HistogramStatistics stats = histogram.getStatistics();
                return "count " + histogram.getCount() + ", min " + stats.getMin() + ", p50 " + stats.getQuantile(0.5)
                        + ", p99 " + stats.getQuantile(0.99) + ", max " + stats.getMax();
            }
            return metric.getClass().getSimpleName();
        } catch (RuntimeException e) {
            // a gauge of a closing operator may throw; one bad metric must not hide the others
            return "unavailable (" + e.getClass().getSimpleName() + ")";
        }
    }
}
