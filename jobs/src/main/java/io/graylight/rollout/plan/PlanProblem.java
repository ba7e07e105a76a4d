package io.graylight.rollout.plan;

/**
 * One thing wrong with a plan, where it is: {@code rollouts/chat.yaml:12:5: unknown metric ...}.
 * Lines and columns count from 1; 0 means the problem is not at a place in the text (an unreadable
 * file).
 */
public record PlanProblem(String source, int line, int column, String reason) implements Comparable<PlanProblem> {

    @Override
    public String toString() {
        return line > 0 ? source + ":" + line + ":" + column + ": " + reason : source + ": " + reason;
    }

    @Override
    public int compareTo(PlanProblem other) {
        int byLine = Integer.compare(line, other.line);
        return byLine != 0 ? byLine : Integer.compare(column, other.column);
    }
}
