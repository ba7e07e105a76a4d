package io.graylight.cep.rules;

/**
 * One thing wrong with a rule file, where it is: {@code cep-rules/errors.yaml:12:5: reason}.
 * Lines and columns count from 1; line 0 means the problem is not at a place in the text.
 */
public record RuleProblem(String source, int line, int column, String reason) implements Comparable<RuleProblem> {

    @Override
    public String toString() {
        return line > 0 ? source + ":" + line + ":" + column + ": " + reason : source + ": " + reason;
    }

    @Override
    public int compareTo(RuleProblem other) {
        int bySource = source.compareTo(other.source);
        if (bySource != 0) {
            return bySource;
        }
        int byLine = Integer.compare(line, other.line);
        return byLine != 0 ? byLine : Integer.compare(column, other.column);
    }
}
