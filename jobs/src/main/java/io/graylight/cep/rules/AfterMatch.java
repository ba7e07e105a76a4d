package io.graylight.cep.rules;

import java.io.Serializable;

/**
 * The after-match skip strategy: {@code skipPastLastEvent} (the default for alerts: a match's
 * events start no further match), {@code noSkip}, {@code skipToNext}, {@code skipToFirst: STEP},
 * {@code skipToLast: STEP}.
 */
public record AfterMatch(Kind kind, String step) implements Serializable {

    public enum Kind { NO_SKIP, SKIP_TO_NEXT, SKIP_PAST_LAST_EVENT, SKIP_TO_FIRST, SKIP_TO_LAST }

    public static final AfterMatch DEFAULT = new AfterMatch(Kind.SKIP_PAST_LAST_EVENT, null);

    @Override
    public String toString() {
        return switch (kind) {
            case NO_SKIP -> "noSkip";
            case SKIP_TO_NEXT -> "skipToNext";
            case SKIP_PAST_LAST_EVENT -> "skipPastLastEvent";
            case SKIP_TO_FIRST -> "skipToFirst: " + step;
            case SKIP_TO_LAST -> "skipToLast: " + step;
        };
    }
}
