package io.graylight.cep.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.graylight.contracts.json.Json;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rule files' texts a job was built from (source name → YAML text, in order). The alert job
 * carries it in its configuration (global job parameter {@link #PARAMETER}), so that
 * {@code graylight rules apply} can rebuild the running job's exact rules, to bring it back from
 * its savepoint if the new job cannot start, even after the files on disk have been edited.
 */
public record RulesSnapshot(Map<String, String> files) {

    /** The global job parameter that holds {@link #toJson()}. */
    public static final String PARAMETER = "graylight.rules-snapshot";

    public RulesSnapshot {
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    /** A rule directory's files (or one file), read once: what is checked is what is deployed. */
    public static RulesSnapshot read(Path dirOrFile) throws RuleException {
        return new RulesSnapshot(RuleParser.readTexts(dirOrFile));
    }

    public List<Rule> rules() throws RuleException {
        return RuleParser.parseTexts(files);
    }

    public String toJson() {
        return Json.toString(files);
    }

    public static RulesSnapshot fromJson(String json) {
        try {
            return new RulesSnapshot(Json.MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, String>>() { }));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a rules snapshot: " + e.getOriginalMessage(), e);
        }
    }
}
