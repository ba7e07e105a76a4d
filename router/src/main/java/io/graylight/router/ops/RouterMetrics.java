package io.graylight.router.ops;

import io.graylight.contracts.telemetry.Cohort;
import io.graylight.contracts.telemetry.RequestStatus;
import io.graylight.router.control.ControlFollower;
import io.graylight.router.control.DecisionBook;
import io.graylight.router.telemetry.TelemetryPublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The router's Prometheus metrics: requests by release, cohort and status; latency and TTFT by
 * release and cohort; decision age and propagation time; Kafka connectivity; telemetry
 * published, sent, failed and dropped. Meters are cached per release, so a request does one map lookup.
 */
public final class RouterMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, ReleaseMeters> byRelease = new ConcurrentHashMap<>();
    private final Timer propagation;
    private final Counter retries;
    private final Counter upstreamFailures;

    public RouterMetrics() {
        propagation = Timer.builder("graylight.router.decision.propagation")
                .description("from a decision's emittedAt to its taking effect in this router")
                .publishPercentiles(0.5, 0.99).register(registry);
        retries = Counter.builder("graylight.router.canary.retries").description("failed canary calls retried on the baseline").register(registry);
        upstreamFailures = Counter.builder("graylight.router.upstream.failures").description("upstream calls that failed before a response").register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Gauges over the follower, the book and the publisher. */
    public void bind(DecisionBook book, ControlFollower follower, TelemetryPublisher telemetry) {
        MeterRegistry r = registry;
        Gauge.builder("graylight.router.kafka.connected", () -> follower == null ? 0 : follower.connected() ? 1 : 0)
                .description("1 while the control topics' broker answers").register(r);
        Gauge.builder("graylight.router.control.caught.up", () -> follower != null && follower.caughtUp() ? 1 : 0).register(r);
        Gauge.builder("graylight.router.control.last.contact.age", () -> {
            Instant last = follower == null ? null : follower.lastContact();
            return last == null ? Double.NaN : Duration.between(last, Instant.now()).toMillis() / 1000.0;
        }).baseUnit("seconds").register(r);
        if (follower != null) {
            FunctionCounter.builder("graylight.router.control.bad.records", follower, ControlFollower::badRecords).register(r);
        }
        FunctionCounter.builder("graylight.router.telemetry.published", telemetry, TelemetryPublisher::published).register(r);
        FunctionCounter.builder("graylight.router.telemetry.sent", telemetry, TelemetryPublisher::sent).register(r);
        FunctionCounter.builder("graylight.router.telemetry.failed", telemetry, TelemetryPublisher::failed).register(r);
        FunctionCounter.builder("graylight.router.telemetry.dropped", telemetry, TelemetryPublisher::dropped)
                .description("events dropped because the buffer was full (Kafka slow or down)").register(r);
        Gauge.builder("graylight.router.telemetry.queued", telemetry, TelemetryPublisher::queued).register(r);
        book.onApplied(entry -> {
            String release = entry.decision().release();
            Gauge.builder("graylight.router.decision.age", book, b -> {
                DecisionBook.Entry e = b.entry(release);
                return e == null || e.decision().emittedAt() == null ? Double.NaN
                        : Duration.between(e.decision().emittedAt(), Instant.now()).toMillis() / 1000.0;
            }).tag("release", release).baseUnit("seconds").register(r);
            Gauge.builder("graylight.router.canary.percent", book, b -> {
                DecisionBook.Entry e = b.entry(release);
                return e == null ? 0 : e.split().canaryPercent();
            }).tag("release", release).register(r);
        });
    }

    public void request(String release, Cohort cohort, RequestStatus status, double latencyMs, Double ttftMs) {
        ReleaseMeters meters = byRelease.get(release);
        if (meters == null) {
            meters = byRelease.computeIfAbsent(release, ReleaseMeters::new);
        }
        meters.request(cohort, status, latencyMs, ttftMs);
    }

    /**
     * One release's meters, registered on first use and then indexed by the enums' ordinals: a
     * request does one map lookup and builds no key, tag or meter id.
     */
    private final class ReleaseMeters {
        private static final Cohort[] COHORTS = Cohort.values();
        private static final RequestStatus[] STATUSES = RequestStatus.values();

        private final String release;
        private final AtomicReferenceArray<Counter> requests = new AtomicReferenceArray<>(COHORTS.length * STATUSES.length);
        private final AtomicReferenceArray<Timer> latency = new AtomicReferenceArray<>(COHORTS.length);
        private final AtomicReferenceArray<Timer> ttft = new AtomicReferenceArray<>(COHORTS.length);

        ReleaseMeters(String release) {
            this.release = release;
        }

        void request(Cohort cohort, RequestStatus status, double latencyMs, Double ttftMs) {
            int c = cohort.ordinal();
            int slot = c * STATUSES.length + status.ordinal();
            Counter counter = requests.get(slot);
            if (counter == null) {
                // registering twice returns the same meter, so a race here is harmless
                counter = Counter.builder("graylight.router.requests").tag("release", release).tag("cohort", cohort.wireName())
                        .tag("status", status.wireName()).register(registry);
                requests.set(slot, counter);
            }
            counter.increment();
            Timer total = latency.get(c);
            if (total == null) {
                total = Timer.builder("graylight.router.latency").tag("release", release).tag("cohort", cohort.wireName())
                        .publishPercentiles(0.5, 0.95, 0.99).register(registry);
                latency.set(c, total);
            }
            total.record((long) (latencyMs * 1000), TimeUnit.MICROSECONDS);
            if (ttftMs != null) {
                Timer first = ttft.get(c);
                if (first == null) {
                    first = Timer.builder("graylight.router.ttft").tag("release", release).tag("cohort", cohort.wireName())
                            .publishPercentiles(0.5, 0.95).register(registry);
                    ttft.set(c, first);
                }
                first.record((long) (ttftMs * 1000), TimeUnit.MICROSECONDS);
            }
        }
    }

    public void propagation(Duration sinceEmitted) {
        if (!sinceEmitted.isNegative()) {
            propagation.record(sinceEmitted);
        }
    }

    public Timer propagationTimer() {
        return propagation;
    }

    public void retry() {
        retries.increment();
    }

    public void upstreamFailure() {
        upstreamFailures.increment();
    }

    public String scrape() {
        return registry.scrape();
    }
}
