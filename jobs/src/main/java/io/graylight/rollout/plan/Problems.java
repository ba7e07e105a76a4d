package io.graylight.rollout.plan;

import java.util.ArrayList;
import java.util.List;

/** Collects a plan's problems so that one run reports all of them. */
final class Problems {

    private final String source;
    private final List<PlanProblem> found = new ArrayList<>();

    Problems(String source) {
        this.source = source;
    }

    String source() {
        return source;
    }

    void add(YamlTree.Position at, String reason) {
        found.add(new PlanProblem(source, at.line(), at.column(), oneLine(reason)));
    }

    /** One problem is one line: control characters (from the YAML parser or the plan) are escaped. */
    static String oneLine(String text) {
        StringBuilder line = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        line.append(String.format("\\u%04x", c));
                    } else {
                        line.appendCodePoint(c);
                    }
                }
            }
        });
        return line.toString().strip();
    }

    void add(YamlTree.Node at, String reason) {
        add(at.position(), reason);
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    int size() {
        return found.size();
    }

    /** All problems so far, in file order (stable for problems at one place). */
    PlanException exception() {
        List<PlanProblem> sorted = new ArrayList<>(found);
        sorted.sort(null);
        return new PlanException(sorted);
    }

    void throwIfAny() throws PlanException {
        if (!found.isEmpty()) {
            throw exception();
        }
    }
}
