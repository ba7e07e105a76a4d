package io.graylight.demo;

import io.graylight.contracts.json.Json;
import io.graylight.contracts.telemetry.TelemetryEvent;
import io.graylight.simulator.Fault;
import io.graylight.simulator.RealtimePacer;
import io.graylight.simulator.SimulatedRecord;
import io.graylight.simulator.TrafficSimulator;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's users as HTTP clients of the router: each simulated request of a
 * {@link TrafficSimulator} becomes an OpenAI-style {@code /v1/chat/completions} call at its
 * arrival time (every fourth one streamed), with the user and segment headers the router reads,
 * and each simulated feedback a {@code POST /v1/feedback} on that user's latest answered call.
 * The router picks the cohort and writes the telemetry; this class only counts what it saw.
 *
 * <p>Calls are asynchronous with at most {@code maxInFlight} open: the pacing thread never waits
 * for a response, and a request that finds no free slot is skipped and counted (the machine is
 * overloaded, not the router).
 */
final class RouterTraffic implements AutoCloseable {

    /** Fault kinds the mock LLM can express; the others only exist as simulated telemetry. */
    static final Set<Fault.Kind> SUPPORTED = Set.of(Fault.Kind.ERROR_RATE, Fault.Kind.LATENCY, Fault.Kind.TAIL_STALLS);

    private final String routerUrl;
    private final HttpClient http;
    private final ExecutorService executor;
    private final Semaphore slots;
    private final Map<String, String> lastRequestIdOfUser = new ConcurrentHashMap<>();
    /** Send time (epoch ms) of every call the router served from the canary: for the after-rollback check. */
    private final ConcurrentLinkedQueue<Long> canarySendTimes = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicLong> servedByCohort = new ConcurrentHashMap<>();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong feedback = new AtomicLong();
    final AtomicLong feedbackWithoutCall = new AtomicLong();
    final AtomicLong skipped = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong non2xx = new AtomicLong();
    // Window of the live table: cohort counts since the last snapshot.
    private final Map<String, AtomicLong> recent = new ConcurrentHashMap<>();

    RouterTraffic(String routerUrl, int maxInFlight) {
        this.routerUrl = routerUrl;
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "demo-http");
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.slots = new Semaphore(maxInFlight);
    }

    /** Sends the simulation's requests and feedback at their times until it ends or the thread is interrupted. */
    Thread start(TrafficSimulator simulation, PrintStream out) {
        Thread thread = new Thread(() -> {
            RealtimePacer pacer = RealtimePacer.systemClock();
            try {
                for (SimulatedRecord record : simulation) {
                    // The router writes valid telemetry only: the simulator's duplicates and broken records have no HTTP form.
                    if (!record.isValid() || record.duplicate()) {
                        continue;
                    }
                    pacer.awaitEventTime(record.eventTimeMillis());
                    send(record.event());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (!Thread.currentThread().isInterrupted()) {
                    out.println("router traffic stopped: " + e);
                }
            }
        }, "demo-router-traffic");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    void send(TelemetryEvent event) {
        if (event.isFeedback()) {
            String requestId = lastRequestIdOfUser.get(event.userId());
            if (requestId == null) {
                feedbackWithoutCall.incrementAndGet(); // that user's call has not been answered yet
                return;
            }
            Map<String, Object> body = Map.of("requestId", requestId, "score", event.score());
            post("/v1/feedback", event, Json.toBytes(body), false);
            feedback.incrementAndGet();
        } else {
            long outputTokens = event.outputTokens() == null ? 64 : Math.max(1, event.outputTokens());
            long inputTokens = event.inputTokens() == null ? 16 : Math.max(1, Math.min(event.inputTokens(), 8_000));
            boolean stream = requests.incrementAndGet() % 4 == 0;
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("model", "graylight-demo");
            body.put("messages", List.of(Map.of("role", "user", "content", "w ".repeat((int) inputTokens))));
            body.put("max_tokens", outputTokens);
            body.put("stream", stream);
            if (stream) {
                body.put("stream_options", Map.of("include_usage", true));
            }
            post("/v1/chat/completions", event, Json.toBytes(body), true);
        }
    }

    private void post(String path, TelemetryEvent event, byte[] body, boolean isCall) {
        if (!slots.tryAcquire()) {
            skipped.incrementAndGet();
            return;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(routerUrl + path))
                .timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json")
                .header("X-Graylight-User", event.userId())
                .header("X-Graylight-Release", event.release())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (event.segment() != null) {
            event.segment().forEach((name, value) -> request.header("X-Graylight-" + capitalise(name), value));
        }
        long sentAt = System.currentTimeMillis();
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            slots.release();
            if (error != null) {
                failed.incrementAndGet();
                return;
            }
            if (response.statusCode() / 100 != 2) {
                non2xx.incrementAndGet();
            }
            if (isCall) {
                String cohort = response.headers().firstValue("X-Graylight-Cohort").orElse("none (router error before an upstream answered)");
                servedByCohort.computeIfAbsent(cohort, c -> new AtomicLong()).incrementAndGet();
                recent.computeIfAbsent(cohort, c -> new AtomicLong()).incrementAndGet();
                if ("canary".equals(cohort)) {
                    canarySendTimes.add(sentAt);
                }
                response.headers().firstValue("X-Graylight-Request-Id")
                        .ifPresent(id -> lastRequestIdOfUser.put(event.userId(), id));
            }
        });
    }

    private static String capitalise(String name) {
        return name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** Calls answered per cohort (the router's {@code X-Graylight-Cohort}) since the start. */
    Map<String, Long> servedByCohort() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        servedByCohort.forEach((c, n) -> counts.put(c, n.get()));
        return counts;
    }

    /** Calls the router served from the canary that were sent after {@code instant}. */
    long canaryCallsSentAfter(Instant instant) {
        long at = instant.toEpochMilli();
        return canarySendTimes.stream().filter(t -> t > at).count();
    }

    /** The router's split since the previous call, e.g. {@code baseline 812, canary 94 (10.4 % canary)}. */
    String recentSplit() {
        long baseline = take("baseline");
        long canary = take("canary");
        long total = baseline + canary;
        return String.format(Locale.ROOT, "baseline %,d, canary %,d (%s canary)", baseline, canary,
                total == 0 ? "-" : String.format(Locale.ROOT, "%.1f %%", 100.0 * canary / total));
    }

    private long take(String cohort) {
        AtomicLong n = recent.get(cohort);
        return n == null ? 0 : n.getAndSet(0);
    }

    String counters() {
        List<String> parts = new ArrayList<>();
        parts.add(String.format(Locale.ROOT, "%,d calls", requests.get()));
        parts.add(String.format(Locale.ROOT, "%,d feedback", feedback.get()));
        parts.add(String.format(Locale.ROOT, "%,d non-2xx", non2xx.get()));
        parts.add(String.format(Locale.ROOT, "%,d failed", failed.get()));
        parts.add(String.format(Locale.ROOT, "%,d skipped (in-flight cap)", skipped.get()));
        return String.join(", ", parts);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
