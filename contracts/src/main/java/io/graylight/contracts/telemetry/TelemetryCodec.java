package io.graylight.contracts.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads and writes telemetry events as the JSON of DESIGN.md.
 *
 * <p>Decoding never throws: a record that is not JSON, lacks a required field or carries an
 * out-of-range value comes back as a {@link ValidationProblem} naming the first problem, so the
 * caller can route it to the dead-letter topic. Thread-safe.
 */
public final class TelemetryCodec {

    /** Records above this size are refused before parsing: no producer has a reason to send one. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 64 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private final int maxRecordBytes;
    private final TelemetryValidator validator = new TelemetryValidator();

    public TelemetryCodec() {
        this(DEFAULT_MAX_RECORD_BYTES);
    }

    public TelemetryCodec(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    public Decoded decode(String json) {
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    public Decoded decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return Decoded.invalid(new ValidationProblem(null, null, "empty record"));
        }
        if (bytes.length > maxRecordBytes) {
            return Decoded.invalid(new ValidationProblem(null, null,
                    "record is " + bytes.length + " bytes, above the limit of " + maxRecordBytes));
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JsonParseException e) {
            return Decoded.invalid(new ValidationProblem(null, null, "not valid JSON: " + describe(e)));
        } catch (IOException e) {
            return Decoded.invalid(new ValidationProblem(null, null, "not valid JSON: " + e.getMessage()));
        }
        return validator.validate(root);
    }

    public String encodeToString(TelemetryEvent event) {
        return new String(encode(event), StandardCharsets.UTF_8);
    }

    /** The event as one line of JSON (no newline), fields in contract order, absent fields left out. */
    public byte[] encode(TelemetryEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(384);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("type", event.type().wireName());
            json.writeStringField("eventId", event.eventId());
            json.writeStringField("timestamp", event.timestamp().toString());
            json.writeStringField("release", event.release());
            json.writeStringField("cohort", event.cohort().wireName());
            writeIfPresent(json, "version", event.version());
            json.writeStringField("userId", event.userId());
            if (event.segment() != null && !event.segment().isEmpty()) {
                json.writeObjectFieldStart("segment");
                for (Map.Entry<String, String> entry : event.segment().entrySet()) {
                    json.writeStringField(entry.getKey(), entry.getValue());
                }
                json.writeEndObject();
            }
            if (event.isRequest()) {
                json.writeStringField("status", event.status().wireName());
                json.writeNumberField("latencyMs", event.latencyMs());
                writeIfPresent(json, "ttftMs", event.ttftMs());
                writeIfPresent(json, "inputTokens", event.inputTokens());
                writeIfPresent(json, "outputTokens", event.outputTokens());
                writeIfPresent(json, "costUsd", event.costUsd());
                writeIfPresent(json, "qualityScore", event.qualityScore());
            } else {
                json.writeStringField("requestId", event.requestId());
                json.writeNumberField("score", event.score());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write telemetry event " + event.eventId(), e);
        }
        return out.toByteArray();
    }

    private static void writeIfPresent(JsonGenerator json, String field, String value) throws IOException {
        if (value != null) {
            json.writeStringField(field, value);
        }
    }

    private static void writeIfPresent(JsonGenerator json, String field, Double value) throws IOException {
        if (value != null) {
            json.writeNumberField(field, value);
        }
    }

    private static void writeIfPresent(JsonGenerator json, String field, Long value) throws IOException {
        if (value != null) {
            json.writeNumberField(field, value);
        }
    }

    /** Jackson's message without the source excerpt it appends, plus where it stopped. */
    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        if (e.getLocation() != null) {
            message += " (at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        }
        return message;
    }
}
