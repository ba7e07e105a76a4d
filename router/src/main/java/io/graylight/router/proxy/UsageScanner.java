package io.graylight.router.proxy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.graylight.contracts.json.Json;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the OpenAI {@code usage} object (and a {@code content_filter} finish) from a response
 * while it streams through, without holding it back: a JSON body is copied up to a limit and
 * parsed at its end; an SSE stream is split into lines and only {@code data:} lines that mention
 * {@code usage} or {@code finish_reason} are parsed (OpenAI sends usage in the last chunk when
 * asked with {@code stream_options.include_usage}).
 */
public final class UsageScanner {

    private static final int JSON_LIMIT = 1 << 20;
    private static final int LINE_LIMIT = 1 << 20;

    private final boolean sse;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean overflow;
    private Long inputTokens;
    private Long outputTokens;
    private Double costUsd;
    private boolean filtered;

    public UsageScanner(boolean sse) {
        this.sse = sse;
    }

    public void accept(Buffer chunk) {
        if (overflow) {
            return;
        }
        byte[] bytes = chunk.getBytes();
        if (!sse) {
            if (pending.size() + bytes.length > JSON_LIMIT) {
                overflow = true; // too big to be worth parsing: no usage from it
                pending.reset();
                return;
            }
            pending.write(bytes, 0, bytes.length);
            return;
        }
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                pending.write(bytes, start, i - start);
                line(pending.toString(StandardCharsets.UTF_8));
                pending.reset();
                start = i + 1;
            }
        }
        pending.write(bytes, start, bytes.length - start);
        if (pending.size() > LINE_LIMIT) {
            pending.reset();
        }
    }

    /** Call at the end of the body. */
    public void finish() {
        if (!overflow && pending.size() > 0) {
            if (sse) {
                line(pending.toString(StandardCharsets.UTF_8));
            } else {
                readBody(pending.toByteArray());
            }
        }
        pending.reset();
    }

    private void line(String line) {
        if (!line.startsWith("data:")) {
            return;
        }
        String data = line.substring(5).strip();
        if (data.equals("[DONE]") || !(data.contains("\"usage\"") || data.contains("content_filter"))) {
            return;
        }
        read(data.getBytes(StandardCharsets.UTF_8));
    }

    /** A whole JSON body: stream past everything but {@code usage}, unless a content filter is mentioned. */
    private void readBody(byte[] json) {
        if (contains(json, CONTENT_FILTER)) {
            read(json);
            return;
        }
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.getCurrentName();
                parser.nextToken();
                if (name.equals("usage")) {
                    usage(Json.MAPPER.readTree(parser));
                } else {
                    parser.skipChildren();
                }
            }
        } catch (Exception e) {
            // not JSON: no usage to report
        }
    }

    private static final byte[] CONTENT_FILTER = "content_filter".getBytes(StandardCharsets.US_ASCII);

    private static boolean contains(byte[] data, byte[] word) {
        outer:
        for (int i = 0; i <= data.length - word.length; i++) {
            for (int j = 0; j < word.length; j++) {
                if (data[i + j] != word[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private void usage(JsonNode usage) {
        if (usage != null && usage.isObject()) {
            inputTokens = count(usage.get("prompt_tokens"), inputTokens);
            outputTokens = count(usage.get("completion_tokens"), outputTokens);
            JsonNode cost = usage.get("cost");
            if (cost != null && cost.isNumber() && cost.asDouble() >= 0) {
                costUsd = cost.asDouble();
            }
        }
    }

    private void read(byte[] json) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (Exception e) {
            return; // not JSON: no usage to report
        }
        if (root == null) {
            return;
        }
        usage(root.get("usage"));
        JsonNode choices = root.get("choices");
        if (choices != null && choices.isArray()) {
            for (JsonNode choice : choices) {
                if ("content_filter".equals(choice.path("finish_reason").asText(null))) {
                    filtered = true;
                }
            }
        }
        if ("content_filter".equals(root.path("error").path("code").asText(null))) {
            filtered = true;
        }
    }

    private static Long count(JsonNode node, Long previous) {
        return node != null && node.canConvertToLong() && node.asLong() >= 0 ? Long.valueOf(node.asLong()) : previous;
    }

    public Long inputTokens() {
        return inputTokens;
    }

    public Long outputTokens() {
        return outputTokens;
    }

    /** The cost the upstream reported, if any. */
    public Double costUsd() {
        return costUsd;
    }

    public boolean filtered() {
        return filtered;
    }
}
