package io.graylight.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.graylight.contracts.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kibana saved objects in {@code dashboards/graylight.ndjson} (Kibana cannot run here): every
 * line parses, every reference resolves inside the file, the index patterns are exactly the
 * families the indexing job writes, and every field a visualisation, annotation or saved search
 * uses is mapped by that family's index template with a type that fits its use.
 */
class DashboardsTest {

    private static final Path NDJSON = Path.of("..", "dashboards", "graylight.ndjson");
    private static List<JsonNode> objects;
    private static Map<String, Map<String, String>> mappingsByPattern;

    @BeforeAll
    static void load() throws IOException {
        objects = new ArrayList<>();
        for (String line : Files.readAllLines(NDJSON)) {
            if (!line.isBlank()) {
                objects.add(Json.MAPPER.readTree(line));
            }
        }
        mappingsByPattern = new HashMap<>();
        for (EsIndices.Family family : EsIndices.all()) {
            Map<String, String> fields = new HashMap<>();
            flatten("", Json.MAPPER.readTree(IndexTemplates.body(family)).path("template").path("mappings").path("properties"), fields);
            mappingsByPattern.put(family.pattern(), fields);
        }
    }

    private static void flatten(String prefix, JsonNode properties, Map<String, String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = prefix + e.getKey();
            if (e.getValue().has("type") && !"object".equals(e.getValue().path("type").asText())) {
                out.put(name, e.getValue().path("type").asText());
            }
            e.getValue().path("fields").fields().forEachRemaining(sub -> out.put(name + "." + sub.getKey(), sub.getValue().path("type").asText()));
            flatten(name + ".", e.getValue().path("properties"), out);
        }
    }

    @Test
    void everyObjectHasAUniqueIdAndEveryReferenceResolves() {
        Set<String> ids = new HashSet<>();
        for (JsonNode o : objects) {
            assertThat(ids.add(o.path("type").asText() + ":" + o.path("id").asText())).as("unique %s", o.path("id")).isTrue();
            assertThat(o.path("attributes").path("title").asText()).as("title of %s", o.path("id")).isNotBlank();
        }
        for (JsonNode o : objects) {
            for (JsonNode ref : o.path("references")) {
                assertThat(ids).as("%s refers to %s", o.path("id"), ref).contains(ref.path("type").asText() + ":" + ref.path("id").asText());
            }
        }
        JsonNode dashboard = objects.stream().filter(o -> o.path("type").asText().equals("dashboard")).findFirst().orElseThrow();
        Set<String> refNames = new HashSet<>();
        dashboard.path("references").forEach(r -> refNames.add(r.path("name").asText()));
        JsonNode panels = parse(dashboard.path("attributes").path("panelsJSON").asText());
        assertThat(panels.size()).isEqualTo(dashboard.path("references").size());
        panels.forEach(p -> assertThat(refNames).contains(p.path("panelRefName").asText()));
    }

    @Test
    void theIndexPatternsAreTheFamiliesTheJobWrites() {
        Set<String> titles = objects.stream().filter(o -> o.path("type").asText().equals("index-pattern"))
                .peek(o -> assertThat(o.path("attributes").path("timeFieldName").asText()).isEqualTo(EsIndices.TIMESTAMP))
                .map(o -> o.path("attributes").path("title").asText()).collect(Collectors.toSet());
        assertThat(titles).isEqualTo(EsIndices.all().stream().map(EsIndices.Family::pattern).collect(Collectors.toSet()));
    }

    @Test
    void everyFieldAVisualisationUsesIsMapped() {
        int checked = 0;
        for (JsonNode o : objects) {
            if (!o.path("type").asText().equals("visualization")) {
                continue;
            }
            JsonNode params = parse(o.path("attributes").path("visState").asText()).path("params");
            Map<String, String> fields = mapping(params.path("index_pattern").asText());
            assertThat(fields.get(params.path("time_field").asText())).isEqualTo("date");
            for (JsonNode series : params.path("series")) {
                if (series.path("split_mode").asText().equals("terms")) {
                    assertThat(fields.get(series.path("terms_field").asText())).as("%s splits by a keyword", o.path("id")).isEqualTo("keyword");
                }
                Set<String> metricIds = new HashSet<>();
                for (JsonNode metric : series.path("metrics")) {
                    metricIds.add(metric.path("id").asText());
                    if (metric.has("field")) {
                        assertThat(fields.get(metric.path("field").asText()))
                                .as("%s: %s of %s", o.path("id"), metric.path("type").asText(), metric.path("field").asText())
                                .isIn("long", "integer", "double");
                        checked++;
                    }
                    for (JsonNode variable : metric.path("variables")) {
                        assertThat(metricIds).as("math variable of %s", o.path("id")).contains(variable.path("field").asText());
                    }
                }
            }
            for (JsonNode annotation : params.path("annotations")) {
                Map<String, String> annotated = mapping(annotation.path("index_pattern").asText());
                assertThat(annotated.get(annotation.path("time_field").asText())).isEqualTo("date");
                for (String field : annotation.path("fields").asText().split(",")) {
                    assertThat(annotated).as("annotation field of %s", o.path("id")).containsKey(field.trim());
                    assertThat(annotation.path("template").asText()).contains("{{" + field.trim() + "}}");
                }
            }
        }
        assertThat(checked).as("metric fields checked").isGreaterThan(10);
    }

    @Test
    void everyColumnOfASavedSearchIsMapped() {
        Map<String, String> patternTitles = new HashMap<>();
        objects.stream().filter(o -> o.path("type").asText().equals("index-pattern"))
                .forEach(o -> patternTitles.put(o.path("id").asText(), o.path("attributes").path("title").asText()));
        List<JsonNode> searches = objects.stream().filter(o -> o.path("type").asText().equals("search")).toList();
        assertThat(searches).extracting(s -> s.path("id").asText()).contains("graylight-decisions-timeline", "graylight-alerts-list");
        for (JsonNode search : searches) {
            String pattern = patternTitles.get(search.path("references").get(0).path("id").asText());
            Map<String, String> fields = mapping(pattern);
            search.path("attributes").path("columns").forEach(c -> assertThat(fields).as("column of %s", search.path("id")).containsKey(c.asText()));
            search.path("attributes").path("sort").forEach(s -> assertThat(fields.get(s.get(0).asText())).isEqualTo("date"));
        }
    }

    private static Map<String, String> mapping(String pattern) {
        assertThat(mappingsByPattern).as("index pattern %s is a Graylight family", pattern).containsKey(pattern);
        return mappingsByPattern.get(pattern);
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
