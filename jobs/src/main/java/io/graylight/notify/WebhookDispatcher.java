package io.graylight.notify;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers notifications to webhooks without ever making the caller wait: {@link #offer} only
 * queues. Each target has its own bounded queue (full: the notification is dropped and counted), its
 * own token bucket (empty: dropped, counted, and the next message says how many were suppressed) and
 * at most one request in flight, so messages arrive in order and a slow or dead target holds up
 * nobody else. Requests go out with {@link HttpClient#sendAsync}; a 5xx, 429, timeout or connection
 * error is retried with exponential backoff up to the target's attempts, other answers are final.
 */
public final class WebhookDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);

    /** Counters of one target, monotone. */
    public record Stats(long accepted, long delivered, long retried, long failed, long droppedQueueFull, long rateLimited) {}

    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    private final HttpClient http;

    public WebhookDispatcher(List<WebhookTarget> targets) {
        this(targets, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), System::nanoTime);
    }

    /** @param nanoClock the rate limiter's clock (tests move it by hand) */
    WebhookDispatcher(List<WebhookTarget> targets, HttpClient http, LongSupplier nanoClock) {
        this.http = http;
        for (WebhookTarget target : targets) {
            lanes.put(target.name(), new Lane(target, nanoClock));
        }
    }

    /**
     * Queues the notification for every target that wants it; never blocks.
     *
     * @return how many targets took it (0 when none wants it or every queue that wants it is full)
     */
    public int offer(Notification notification) {
        int taken = 0;
        for (Lane lane : lanes.values()) {
            if (lane.target.wants(notification) && lane.offer(notification)) {
                taken++;
            }
        }
        return taken;
    }

    public Stats stats(String target) {
        Lane lane = lanes.get(target);
        if (lane == null) {
            throw new IllegalArgumentException("no target " + target);
        }
        return lane.stats();
    }

    public Map<String, Stats> stats() {
        Map<String, Stats> all = new LinkedHashMap<>();
        lanes.forEach((name, lane) -> all.put(name, lane.stats()));
        return all;
    }

    /** Waits up to {@code grace} for queued and in-flight deliveries, then stops; what is left is dropped. */
    public void close(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        for (Lane lane : lanes.values()) {
            lane.drain(deadline);
        }
        lanes.values().forEach(Lane::stop);
    }

    @Override
    public void close() throws InterruptedException {
        close(Duration.ofSeconds(5));
    }

    private final class Lane {
        final WebhookTarget target;
        final TokenBucket bucket;
        final ArrayDeque<Notification> queue = new ArrayDeque<>();
        boolean sending;
        boolean stopped;
        long suppressedSinceLastSend;
        long accepted;
        long delivered;
        long retried;
        long failed;
        long droppedQueueFull;
        long rateLimited;

        Lane(WebhookTarget target, LongSupplier nanoClock) {
            this.target = target;
            this.bucket = new TokenBucket(target.rateLimit().count(), target.rateLimit().per().toNanos(), nanoClock);
        }

        synchronized boolean offer(Notification notification) {
            if (stopped || queue.size() >= target.queueCapacity()) {
                droppedQueueFull++;
                return false;
            }
            queue.add(notification);
            accepted++;
            pump();
            return true;
        }

        /** Starts the next delivery unless one is in flight; called with the lock held. */
        private void pump() {
            while (!sending && !stopped && !queue.isEmpty()) {
                Notification next = queue.poll();
                if (!bucket.tryTake()) {
                    rateLimited++;
                    suppressedSinceLastSend++;
                    continue;
                }
                byte[] body = Payloads.body(target.kind(), next, suppressedSinceLastSend);
                suppressedSinceLastSend = 0;
                sending = true;
                send(next, body, 1);
            }
            if (!sending && queue.isEmpty()) {
                notifyAll();
            }
        }

        private void send(Notification notification, byte[] body, int attempt) {
            HttpRequest request = HttpRequest.newBuilder(target.url())
                    .timeout(target.timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "graylight-notify")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            CompletableFuture<HttpResponse<Void>> response;
            try {
                response = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
            } catch (RuntimeException e) {
                response = CompletableFuture.failedFuture(e);
            }
            response.whenComplete((answer, error) -> completed(notification, body, attempt, answer, error));
        }

        private void completed(Notification notification, byte[] body, int attempt, HttpResponse<Void> answer, Throwable error) {
            int status = answer == null ? -1 : answer.statusCode();
            if (error == null && status >= 200 && status < 300) {
                finished(true);
                return;
            }
            boolean retryable = error != null || status >= 500 || status == 429;
            boolean stop;
            synchronized (this) {
                stop = stopped;
            }
            if (retryable && attempt < target.retry().maxAttempts() && !stop) {
                synchronized (this) {
                    retried++;
                }
                long delay = target.retry().backoff(attempt).toMillis();
                CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS)
                        .execute(() -> send(notification, body, attempt + 1));
                return;
            }
            LOG.warn("webhook {}: gave up on {} after {} attempt(s): {}", target.name(), notification.key(), attempt,
                    error != null ? error.toString() : "HTTP " + status);
            finished(false);
        }

        private synchronized void finished(boolean ok) {
            if (ok) {
                delivered++;
            } else {
                failed++;
            }
            sending = false;
            pump();
        }

        synchronized void drain(long deadlineNanos) throws InterruptedException {
            long left;
            while ((sending || !queue.isEmpty()) && !stopped && (left = deadlineNanos - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        synchronized void stop() {
            stopped = true;
            droppedQueueFull += queue.size();
            queue.clear();
        }

        synchronized Stats stats() {
            return new Stats(accepted, delivered, retried, failed, droppedQueueFull, rateLimited);
        }
    }
}
