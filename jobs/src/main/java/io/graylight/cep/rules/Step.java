package io.graylight.cep.rules;

import java.io.Serializable;

/**
 * One step of a rule's pattern.
 *
 * @param name unique within the rule; the CEP pattern name
 * @param condition a CEL expression of type bool over the input's fields and {@code params}
 * @param contiguity to the previous step; null for the first
 * @param timesMin with timesMax: {@code times: n} or {@code times: [min, max]}; null when not given
 * @param timesMax as above; {@link Integer#MAX_VALUE} for {@code timesOrMore}/{@code oneOrMore}
 * @param optional the step may be skipped
 * @param greedy a looping step takes as many events as it can
 * @param consecutive a looping step's events are strictly contiguous
 * @param allowCombinations a looping step's events may be any combination (non-deterministic relaxed)
 * @param line where the step is written, for messages
 */
public record Step(
        String name,
        String condition,
        Contiguity contiguity,
        Integer timesMin,
        Integer timesMax,
        boolean optional,
        boolean greedy,
        boolean consecutive,
        boolean allowCombinations,
        int line) implements Serializable {

    public boolean looping() {
        return timesMin != null;
    }

    /** The structural part, for the shape hash: everything but the condition and the line. */
    String shape() {
        return name + "|" + contiguity + "|" + timesMin + "|" + timesMax + "|" + optional + "|" + greedy + "|"
                + consecutive + "|" + allowCombinations;
    }
}
