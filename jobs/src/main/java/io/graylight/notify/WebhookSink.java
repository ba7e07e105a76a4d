package io.graylight.notify;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Hands notifications to a {@link WebhookDispatcher} per sink task. Writing only queues, so a slow or
 * failing webhook never back-pressures the job; the price is that deliveries still queued when a task
 * fails are lost (notifications are best effort; the decisions and alerts topics stay the record).
 * Per-target counters are Flink gauges: {@code webhook.<target>.delivered|retried|failed|droppedQueueFull|rateLimited}.
 */
public final class WebhookSink implements Sink<Notification> {

    private static final long serialVersionUID = 1L;

    private final List<WebhookTarget> targets;
    private final Duration closeGrace;

    /** @param closeGrace how long a closing task waits for queued deliveries (end of a bounded job, stop) */
    public WebhookSink(List<WebhookTarget> targets, Duration closeGrace) {
        this.targets = List.copyOf(targets);
        this.closeGrace = closeGrace;
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<Notification> createWriter(InitContext context) {
        WebhookDispatcher dispatcher = new WebhookDispatcher(targets);
        registerGauges(context.metricGroup(), dispatcher);
        return new SinkWriter<>() {
            @Override
            public void write(Notification notification, Context ctx) {
                dispatcher.offer(notification);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() throws InterruptedException {
                dispatcher.close(closeGrace);
            }
        };
    }

    private void registerGauges(MetricGroup metrics, WebhookDispatcher dispatcher) {
        for (WebhookTarget target : targets) {
            MetricGroup group = metrics.addGroup("webhook", target.name());
            group.gauge("delivered", () -> dispatcher.stats(target.name()).delivered());
            group.gauge("retried", () -> dispatcher.stats(target.name()).retried());
            group.gauge("failed", () -> dispatcher.stats(target.name()).failed());
            group.gauge("droppedQueueFull", () -> dispatcher.stats(target.name()).droppedQueueFull());
            group.gauge("rateLimited", () -> dispatcher.stats(target.name()).rateLimited());
        }
    }
}
