package io.graylight.contracts.command;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graylight.contracts.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The wire form of {@link RolloutCommand}: JSON through {@link Json}, keyed by release.
 *
 * <p>{@link #decode} never throws: a record that is not a valid command comes back with one
 * precise reason (the first problem found), for the job's log and dead letters.
 */
public final class RolloutCommands {

    /** A plan file is a page of YAML; anything near Kafka's 1 MB record limit is not a plan. */
    public static final int MAX_RECORD_BYTES = 256 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(JsonParser.Feature.INCLUDE_SOURCE_IN_LOCATION);

    private static final String KNOWN_TYPES = Arrays.stream(CommandType.values())
            .map(Enum::name).collect(Collectors.joining(", "));

    private RolloutCommands() {}

    public static byte[] encode(RolloutCommand command) {
        return Json.toBytes(command);
    }

    /** The Kafka record key: the release, so one release's commands stay in order on one partition. */
    public static byte[] key(RolloutCommand command) {
        return command.release().getBytes(StandardCharsets.UTF_8);
    }

    public static DecodedCommand decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return DecodedCommand.invalid("empty record");
        }
        if (bytes.length > MAX_RECORD_BYTES) {
            return DecodedCommand.invalid("record is " + bytes.length + " bytes, above the limit of " + MAX_RECORD_BYTES);
        }
        JsonNode root;
        try (JsonParser parser = MAPPER.getFactory().createParser(bytes)) {
            root = MAPPER.readTree(parser);
            if (root == null || root.isMissingNode()) {
                return DecodedCommand.invalid("empty record");
            }
            if (parser.nextToken() != null) {
                return DecodedCommand.invalid("not valid JSON: more than one JSON value");
            }
        } catch (JsonProcessingException e) {
            return DecodedCommand.invalid("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException | RuntimeException e) {
            return DecodedCommand.invalid("not valid JSON: " + e.getMessage());
        }
        if (!root.isObject()) {
            return DecodedCommand.invalid("expected a JSON object, got " + root.getNodeType().name().toLowerCase());
        }
        try {
            return DecodedCommand.valid(read(root));
        } catch (Refusal e) {
            return DecodedCommand.invalid(e.getMessage());
        }
    }

    private static RolloutCommand read(JsonNode root) throws Refusal {
        String idText = requiredText(root, "commandId");
        UUID commandId;
        try {
            commandId = UUID.fromString(idText);
        } catch (IllegalArgumentException e) {
            throw new Refusal("commandId '" + idText + "' is not a UUID");
        }
        String typeText = requiredText(root, "type");
        CommandType type = Arrays.stream(CommandType.values())
                .filter(t -> t.name().equals(typeText)).findFirst()
                .orElseThrow(() -> new Refusal("unknown type '" + typeText + "' (known: " + KNOWN_TYPES + ")"));
        String release = requiredText(root, "release");
        String planYaml = optionalText(root, "planYaml");
        String planSource = optionalText(root, "planSource");
        if (type.carriesPlan() && (planYaml == null || planYaml.isBlank())) {
            throw new Refusal(type + " without a plan: planYaml is missing or blank");
        }
        if (!type.carriesPlan() && planYaml != null) {
            throw new Refusal(type + " must not carry a plan (planYaml); only START does");
        }
        if (!type.carriesPlan() && planSource != null) {
            throw new Refusal(type + " must not carry planSource; only START does");
        }
        String reason = optionalText(root, "reason");
        String issuedBy = requiredText(root, "issuedBy");
        String issuedAtText = requiredText(root, "issuedAt");
        Instant issuedAt;
        try {
            issuedAt = Instant.parse(issuedAtText);
        } catch (DateTimeParseException e) {
            throw new Refusal("issuedAt '" + issuedAtText + "' is not an ISO-8601 UTC instant like 2026-12-01T10:00:00Z");
        }
        return new RolloutCommand(commandId, type, release, planYaml, planSource, reason, issuedBy, issuedAt);
    }

    private static String requiredText(JsonNode root, String field) throws Refusal {
        String text = optionalText(root, field);
        if (text == null) {
            throw new Refusal("missing field '" + field + "'");
        }
        if (text.isBlank()) {
            throw new Refusal("field '" + field + "' is blank");
        }
        return text;
    }

    private static String optionalText(JsonNode root, String field) throws Refusal {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new Refusal("field '" + field + "' must be a string, got " + node.getNodeType().name().toLowerCase()
                    + " " + abbreviate(node.toString()));
        }
        return node.textValue();
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    /** A refused field; the message is the whole reason. */
    private static final class Refusal extends Exception {
        Refusal(String message) {
            super(message, null, false, false);
        }
    }
}
