package io.graylight.rollout.plan;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML document as a tree that remembers where each key and value was written, so that a
 * semantic check can point at {@code file:line:column}. Jackson's own trees drop locations; this
 * one is built from the YAML parser's tokens.
 *
 * <p>Beyond YAML syntax it refuses what a configuration file should not contain: duplicate keys
 * (YAML forbids them, but parsers keep the last silently), aliases (Jackson would read {@code *a}
 * as the text {@code a}), nesting deeper than {@value #MAX_DEPTH} and more than one document.
 */
public final class YamlTree {

    static final int MAX_DEPTH = 20;

    private static final YAMLFactory FACTORY = new YAMLFactory();

    /** 1-based line and column of a token's first character. */
    public record Position(int line, int column) {
        public static final Position START = new Position(1, 1);

        @Override
        public String toString() {
            return line + ":" + column;
        }
    }

    /** A value in the tree, with its path from the root such as {@code guards[1].metric}. */
    public sealed interface Node permits MapNode, ListNode, ScalarNode {
        String path();

        Position position();

        /** What it is, for messages: {@code a mapping}, {@code a list}, {@code the text 'five'}, {@code the number 5}. */
        String describe();
    }

    /** A key of a mapping: its name, where the key is written, and its value. */
    public record Field(String name, Position keyPosition, Node value) {}

    public record MapNode(String path, Position position, Map<String, Field> fields) implements Node {
        /** The field, or null when the key is absent. */
        public Field field(String name) {
            return fields.get(name);
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    public record ListNode(String path, Position position, List<Node> items) implements Node {
        @Override
        public String describe() {
            return "a list";
        }
    }

    /**
     * A scalar: {@code token} is how YAML typed it (string, int, float, true/false, null),
     * {@code text} the scalar as written and {@code number} its numeric value for numeric tokens.
     */
    public record ScalarNode(String path, Position position, JsonToken token, String text, Number number)
            implements Node {

        public boolean isNull() {
            return token == JsonToken.VALUE_NULL;
        }

        public boolean isNumber() {
            return number != null;
        }

        public boolean isString() {
            return token == JsonToken.VALUE_STRING;
        }

        @Override
        public String describe() {
            return switch (token) {
                case VALUE_NULL -> "empty";
                case VALUE_TRUE, VALUE_FALSE -> "the boolean " + text;
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + text;
                default -> "the text '" + text + "'";
            };
        }
    }

    private final JsonParser parser;
    private final Problems problems;

    private YamlTree(JsonParser parser, Problems problems) {
        this.parser = parser;
        this.problems = problems;
    }

    /**
     * Parses one YAML document.
     *
     * @return the root, or null for a document without content (empty, or comments only)
     * @throws PlanException on a syntax error (with the problems found before it), duplicate keys,
     *     aliases, too deep nesting or a second document
     */
    public static Node parse(String yaml, String source) throws PlanException {
        Problems problems = new Problems(source);
        Node root = parse(yaml, problems);
        problems.throwIfAny();
        return root;
    }

    /** Like {@link #parse(String, String)} but only syntax errors throw; the rest is collected. */
    static Node parse(String yaml, Problems problems) throws PlanException {
        String text = !yaml.isEmpty() && yaml.charAt(0) == '\uFEFF' ? yaml.substring(1) : yaml;
        try (JsonParser parser = FACTORY.createParser(text)) {
            YamlTree tree = new YamlTree(parser, problems);
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            Node root = tree.value(first, "", 0);
            if (parser.nextToken() != null) {
                problems.add(position(parser.getTokenLocation()),
                        "a plan file holds one YAML document; found a second one here");
            }
            return root;
        } catch (JsonProcessingException e) {
            problems.add(syntaxErrorPosition(e), "YAML syntax error: " + syntaxErrorReason(e));
            throw problems.exception();
        } catch (IOException | RuntimeException e) {
            problems.add(Position.START, "cannot read the YAML: " + e.getMessage());
            throw problems.exception();
        } catch (StackOverflowError e) {
            problems.add(Position.START, "YAML nested too deeply");
            throw problems.exception();
        }
    }

    private Node value(JsonToken token, String path, int depth) throws IOException, PlanException {
        Position at = position(parser.getTokenLocation());
        if (depth > MAX_DEPTH) {
            problems.add(at, "nested more than " + MAX_DEPTH + " levels deep; a plan is flat");
            throw problems.exception();
        }
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            problems.add(at, "YAML aliases are not supported in plans (*" + parser.getText() + "); write the value out");
        }
        switch (token) {
            case START_OBJECT: {
                Map<String, Field> fields = new LinkedHashMap<>();
                JsonToken next;
                while ((next = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = parser.getCurrentName();
                    Position keyAt = position(parser.getTokenLocation());
                    Node child = value(parser.nextToken(), path.isEmpty() ? name : path + "." + name, depth + 1);
                    Field earlier = fields.get(name);
                    if (earlier != null) {
                        problems.add(keyAt, "duplicate key '" + name + "' (first at line " + earlier.keyPosition().line() + ")");
                    } else {
                        fields.put(name, new Field(name, keyAt, child));
                    }
                }
                expect(next, JsonToken.END_OBJECT);
                return new MapNode(path, at, Collections.unmodifiableMap(fields));
            }
            case START_ARRAY: {
                List<Node> items = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY && next != null) {
                    items.add(value(next, path + "[" + items.size() + "]", depth + 1));
                }
                expect(next, JsonToken.END_ARRAY);
                return new ListNode(path, at, Collections.unmodifiableList(items));
            }
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new ScalarNode(path, at, token, parser.getText(), numberOrNull());
            case VALUE_STRING:
            case VALUE_TRUE:
            case VALUE_FALSE:
            case VALUE_NULL:
            case VALUE_EMBEDDED_OBJECT: // !!binary and other tagged values: keep their text
                return new ScalarNode(path, at, token == JsonToken.VALUE_EMBEDDED_OBJECT ? JsonToken.VALUE_STRING : token,
                        parser.getText(), null);
            default:
                throw new IOException("unexpected YAML token " + token);
        }
    }

    /** Jackson types a scalar as a number by its look; one it cannot convert (1_000_000 in some forms) stays text. */
    private Number numberOrNull() {
        try {
            return parser.getNumberValue();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("unexpected end of YAML: expected " + expected + ", got " + actual);
        }
    }

    static Position position(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return Position.START;
        }
        return new Position(location.getLineNr(), Math.max(1, location.getColumnNr()));
    }

    private static Position syntaxErrorPosition(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            Mark mark = marked.getProblemMark();
            return new Position(mark.getLine() + 1, mark.getColumn() + 1);
        }
        return position(e.getLocation());
    }

    private static String syntaxErrorReason(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblem() != null) {
            String reason = marked.getProblem().strip();
            if (marked.getContext() != null) {
                reason += " (" + marked.getContext().strip();
                if (marked.getContextMark() != null) {
                    reason += " at " + (marked.getContextMark().getLine() + 1) + ":" + (marked.getContextMark().getColumn() + 1);
                }
                reason += ")";
            }
            if (marked.getContext() != null && marked.getContext().contains("alias")) {
                reason += "; a bare * starts a YAML alias: quote it, as in release: \"*\"";
            }
            return reason;
        }
        String message = e.getOriginalMessage();
        return message == null ? e.getClass().getSimpleName() : message.strip();
    }
}
