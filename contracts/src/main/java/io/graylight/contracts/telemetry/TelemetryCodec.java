package io.graylight.contracts.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads and writes telemetry events as the JSON of DESIGN.md.
 *
 * <p>Decoding never throws: a record that is not exactly one JSON object in strict UTF-8, lacks a
 * required field or carries an out-of-range value comes back as a {@link ValidationProblem}
 * naming the first problem, so the caller can route it to the dead-letter topic. Thread-safe.
 */
public final class TelemetryCodec {

    /** Records above this size are refused before parsing: no producer has a reason to send one. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 64 * 1024;

    // The raw record goes to the dead letter anyway; keep it out of parser messages.
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(JsonParser.Feature.INCLUDE_SOURCE_IN_LOCATION);
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
        return decode(json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    public Decoded decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return wholeRecord("empty record");
        }
        if (bytes.length > maxRecordBytes) {
            return wholeRecord("record is " + bytes.length + " bytes, above the limit of " + maxRecordBytes);
        }
        // Decode strictly ourselves: Jackson would guess UTF-16/32 from the bytes and lets
        // overlong forms and encoded surrogates through.
        CharBuffer text = CharBuffer.allocate(bytes.length);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CoderResult result = StandardCharsets.UTF_8.newDecoder().decode(in, text, true);
        if (result.isError()) {
            return wholeRecord("not valid UTF-8: malformed byte sequence at byte offset " + in.position());
        }
        int start = text.position() > 0 && text.get(0) == '\uFEFF' ? 1 : 0; // a UTF-8 byte order mark
        JsonNode root;
        try (JsonParser parser = FACTORY.createParser(text.array(), start, text.position() - start)) {
            root = MAPPER.readTree(parser);
            if (root == null || root.isMissingNode()) {
                return wholeRecord("empty record");
            }
            // One record is one JSON value; a second one would be silently lost.
            if (parser.nextToken() != null) {
                return wholeRecord("not valid JSON: more than one JSON value" + where(parser));
            }
        } catch (JsonProcessingException e) {
            return wholeRecord("not valid JSON: " + describe(e));
        } catch (IOException e) {
            return wholeRecord("not valid JSON: " + e.getMessage());
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

    private static Decoded wholeRecord(String reason) {
        return Decoded.invalid(new ValidationProblem(null, null, reason));
    }

    /** Jackson's message without the source excerpt it appends, plus where it stopped. */
    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        message = message.replace("[Source: UNKNOWN; ", "[");
        if (e.getLocation() != null) {
            message += " (at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        }
        return message;
    }

    private static String where(JsonParser parser) {
        return " (at line " + parser.getTokenLocation().getLineNr()
                + ", column " + parser.getTokenLocation().getColumnNr() + ")";
    }
}
