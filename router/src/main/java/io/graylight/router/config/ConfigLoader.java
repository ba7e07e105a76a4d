package io.graylight.router.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
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
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
        Map<String, JsonLocation> objects = new HashMap<>();
        try {
            // First the shape: Jackson checks unknown fields of records only after their
            // constructors ran, so a misspelt required field would read as a missing one.
            try (JsonParser parser = YAML.getFactory().createParser(text)) {
                if (parser.nextToken() != null) {
                    walk(file, parser, type, "", objects);
                }
            }
            T value = YAML.readValue(text, type);
            if (value == null) {
                throw new ConfigException(file + ": empty file");
            }
            return value;
        } catch (ValueInstantiationException e) {
            // a constructor refused a value: point at the start of the object it belongs to
            JsonLocation start = objects.get(pathOf(e));
            throw new ConfigException(file + ":" + where(start != null ? start : e.getLocation()) + reason(e));
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ":" + where(e.getLocation()) + reason(e));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Checks field names against the record types, remembering where each object starts. */
    private static void walk(Path file, JsonParser parser, Type type, String path, Map<String, JsonLocation> objects)
            throws IOException, ConfigException {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        JsonToken token = parser.currentToken();
        if (raw.isRecord() && token == JsonToken.START_OBJECT) {
            objects.put(path, parser.getTokenLocation());
            Map<String, Type> components = new TreeMap<>();
            for (RecordComponent component : raw.getRecordComponents()) {
                components.put(component.getName(), component.getGenericType());
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.getCurrentName();
                JsonLocation at = parser.getTokenLocation();
                if (!components.containsKey(name)) {
                    throw new ConfigException(file + ":" + where(at) + "unknown field '" + name + "'"
                            + (path.isEmpty() ? "" : " (at " + path + ")") + " (known: " + String.join(", ", components.keySet()) + ")");
                }
                parser.nextToken();
                walk(file, parser, components.get(name), path.isEmpty() ? name : path + "." + name, objects);
            }
        } else if (List.class.isAssignableFrom(raw) && token == JsonToken.START_ARRAY && type instanceof ParameterizedType p) {
            int index = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                walk(file, parser, p.getActualTypeArguments()[0], path + "[" + index++ + "]", objects);
            }
        } else {
            parser.skipChildren();
        }
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
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
        String path = pathOf(e);
        return path.isEmpty() ? "" : " (at " + path + ")";
    }
}
