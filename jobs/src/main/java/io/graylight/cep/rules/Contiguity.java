package io.graylight.cep.rules;

/** How a step relates to the one before it, as in Flink CEP's {@code Pattern} API. */
public enum Contiguity {
    NEXT("next"),
    FOLLOWED_BY("followedBy"),
    FOLLOWED_BY_ANY("followedByAny"),
    NOT_NEXT("notNext"),
    NOT_FOLLOWED_BY("notFollowedBy");

    private final String yaml;

    Contiguity(String yaml) {
        this.yaml = yaml;
    }

    public String yaml() {
        return yaml;
    }

    public boolean negative() {
        return this == NOT_NEXT || this == NOT_FOLLOWED_BY;
    }

    /** Strict contiguity: an event that matches no step still breaks the sequence. */
    public boolean strict() {
        return this == NEXT || this == NOT_NEXT;
    }

    public static Contiguity of(String text) {
        for (Contiguity c : values()) {
            if (c.yaml.equals(text)) {
                return c;
            }
        }
        return null;
    }

    static String known() {
        StringBuilder s = new StringBuilder();
        for (Contiguity c : values()) {
            s.append(s.length() == 0 ? "" : ", ").append(c.yaml);
        }
        return s.toString();
    }
}
