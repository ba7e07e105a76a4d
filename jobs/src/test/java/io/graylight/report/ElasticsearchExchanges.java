package io.graylight.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.graylight.contracts.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Exchanges with a real Elasticsearch, recorded once ({@link ElasticsearchRecordingTest}) and served
 * again by a local HTTP server: a request the recording does not hold (path and JSON body) is
 * answered 400 and remembered, so a changed query cannot pass unnoticed.
 */
final class ElasticsearchExchanges implements AutoCloseable {

    private final ArrayNode exchanges;
    private final HttpServer server;
    final List<String> unmatched = new CopyOnWriteArrayList<>();
    final List<String> served = new CopyOnWriteArrayList<>();

    ElasticsearchExchanges(ArrayNode exchanges) throws IOException {
        this.exchanges = exchanges;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            JsonNode request;
            try (InputStream in = exchange.getRequestBody()) {
                request = Json.MAPPER.readTree(in.readAllBytes());
            }
            JsonNode match = null;
            for (JsonNode recorded : exchanges) {
                if (recorded.get("path").asText().equals(path) && recorded.get("request").equals(request)) {
                    match = recorded;
                    break;
                }
            }
            byte[] body;
            int status;
            if (match == null) {
                unmatched.add(exchange.getRequestMethod() + " " + path + " " + request);
                status = 400;
                body = "{\"error\":{\"reason\":\"not in the recording\"},\"status\":400}".getBytes();
            } else {
                served.add(path);
                status = match.get("status").asInt();
                body = Json.toBytes(match.get("response"));
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** A transport that forwards to {@code real} and appends each exchange to {@code into}. */
    static ElasticsearchReportSource.Transport recording(ElasticsearchReportSource.Transport real, URI base, ArrayNode into) {
        return (uri, body) -> {
            ElasticsearchReportSource.Answer answer = real.post(uri, body);
            ObjectNode exchange = into.addObject();
            exchange.put("path", "/" + base.relativize(uri).toString());
            exchange.set("request", Json.MAPPER.readTree(body));
            exchange.put("status", answer.status());
            exchange.set("response", Json.MAPPER.readTree(answer.body()));
            return answer;
        };
    }
}
