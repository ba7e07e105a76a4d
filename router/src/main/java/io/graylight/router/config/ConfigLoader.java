package io.graylight.router.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads YAML config files (the router's, and the user-attributes file) strictly: unknown fields,
 * wrong types and invalid values are refused as {@code file:line:column: reason}.
 */
public final class ConfigLoader {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ConfigLoader() {}

    public static RouterConfig load(Path file) throws ConfigException {
        return read(file, readText(file), RouterConfig.class);
    }

    /** The user-attributes file: a YAML map of userId to its attributes, e.g. {@code u1: {region: eu-west, tier: pro}}. */
    public static Map<String, Map<String, String>> loadUserAttributes(Path file) throws ConfigException {
        Map<?, ?> raw = read(file, readText(file), Map.class);
        try {
            return raw.entrySet().stream().collect(Collectors.toUnmodifiableMap(
                    e -> String.valueOf(e.getKey()),
                    e -> {
                        if (!(e.getValue() instanceof Map<?, ?> attributes)) {
                            throw new IllegalArgumentException("user " + e.getKey() + ": expected a map of attributes like {region: eu-west}");
                        }
                        return attributes.entrySet().stream().collect(Collectors.toUnmodifiableMap(
                                a -> String.valueOf(a.getKey()), a -> String.valueOf(a.getValue())));
                    }));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
    }

    /** Parses {@code text} (the content of {@code file}) as {@code type}. */
    public static <T> T read(Path file, String text, Class<T> type) throws ConfigException {
        try {
            T value = YAML.readValue(text, type);
            if (value == null) {
                throw new ConfigException(file + ": empty file");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ":" + where(e.getLocation()) + reason(e));
        }
    }

    private static String readText(Path file) throws ConfigException {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
    }

    private static String where(JsonLocation location) {
        return location == null ? " " : location.getLineNr() + ":" + location.getColumnNr() + ": ";
    }

    private static String reason(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown field '" + unknown.getPropertyName() + "'" + path(unknown)
                    + (unknown.getKnownPropertyIds() == null ? "" : " (known: " + unknown.getKnownPropertyIds().stream()
                            .map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")");
        }
        if (e instanceof ValueInstantiationException invalid && invalid.getCause() != null) {
            return invalid.getCause().getMessage() + path(invalid);
        }
        String message = e.getOriginalMessage();
        int newline = message.indexOf('\n');
        return (newline >= 0 ? message.substring(0, newline) : message) + (e instanceof JsonMappingException m ? path(m) : "");
    }

    /** Where in the document, e.g. {@code (at releases[0].baseline)}. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "" : " (at " + path + ")";
    }
}
