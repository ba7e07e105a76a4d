package io.graylight.router.proxy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.graylight.contracts.json.Json;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the OpenAI {@code usage} object (and a {@code content_filter} finish) from a response
 * while it streams through, without holding it back: a JSON body is copied up to a limit and
 * parsed at its end; an SSE stream is split into lines and only {@code data:} lines that mention
 * {@code usage} or {@code content_filter} are parsed (OpenAI sends usage in the last chunk when
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
        readBody(data.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * One JSON object (a whole body, or an SSE event's data): its top-level {@code usage} is read
     * as the parser streams past everything else, building no tree; only a body that mentions a
     * content filter is read whole, to find where.
     */
    private void readBody(byte[] json) {
        if (contains(json, CONTENT_FILTER)) {
            readContentFilter(json);
        }
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (name.equals("usage")) {
                    usage(parser);
                } else {
                    parser.skipChildren();
                }
            }
        } catch (Exception e) {
            // not JSON (or cut short): no more usage to report than what was read
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

    /** The fields of a {@code usage} object; the parser is on its first token and is left on its last. */
    private void usage(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "prompt_tokens" -> inputTokens = count(parser, value, inputTokens);
                case "completion_tokens" -> outputTokens = count(parser, value, outputTokens);
                case "cost" -> {
                    if (value.isNumeric() && parser.getDoubleValue() >= 0) {
                        costUsd = parser.getDoubleValue();
                    }
                }
                default -> parser.skipChildren();
            }
        }
    }

    /** A token count: a non-negative integer (or a float with nothing after the point); anything else keeps the previous one. */
    private static Long count(JsonParser parser, JsonToken value, Long previous) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            long count = parser.getLongValue();
            return count >= 0 ? Long.valueOf(count) : previous;
        }
        if (value == JsonToken.VALUE_NUMBER_FLOAT) {
            double count = parser.getDoubleValue();
            return count >= 0 && count <= Long.MAX_VALUE && count == Math.rint(count) ? Long.valueOf((long) count) : previous;
        }
        return previous;
    }

    /** Whether a choice finished with {@code content_filter} or the error is one. */
    private void readContentFilter(byte[] json) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (Exception e) {
            return; // not JSON
        }
        if (root == null) {
            return;
        }
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
