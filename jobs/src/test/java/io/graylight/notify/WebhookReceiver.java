package io.graylight.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.graylight.contracts.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local webhook endpoint on an ephemeral port (JDK HttpServer): records every request body and
 * answers 200, or 500 for the first {@code failFirst} requests, and can hold answers until released.
 */
final class WebhookReceiver implements AutoCloseable {

    private final HttpServer server;
    private final List<byte[]> requests = new CopyOnWriteArrayList<>();
    private final List<byte[]> accepted = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile CountDownLatch hold = new CountDownLatch(0);

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/hook", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            requests.add(body);
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int status = failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 200;
            if (status == 200) {
                accepted.add(body);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    void failFirst(int count) {
        failuresLeft.set(count);
    }

    /** Answers nothing until {@link #release()}. */
    void hold() {
        hold = new CountDownLatch(1);
    }

    void release() {
        hold.countDown();
    }

    int requestCount() {
        return requests.size();
    }

    List<byte[]> rawRequests() {
        return new ArrayList<>(requests);
    }

    /** Bodies answered with 200, as JSON. */
    List<JsonNode> delivered() {
        List<JsonNode> out = new ArrayList<>();
        for (byte[] body : accepted) {
            try {
                out.add(Json.MAPPER.readTree(body));
            } catch (IOException e) {
                throw new AssertionError("webhook body is not JSON: " + new String(body), e);
            }
        }
        return out;
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
