package io.graylight.cluster;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/** {@code metrics.reporter.NAME.factory.class: io.graylight.cluster.Slf4jMetricsReporterFactory}. */
public final class Slf4jMetricsReporterFactory implements MetricReporterFactory {

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return new Slf4jMetricsReporter();
    }
}
