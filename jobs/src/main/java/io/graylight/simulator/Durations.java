package io.graylight.simulator;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Short durations as operators type them: {@code 500ms}, {@code 90s}, {@code 10m}, {@code 1h30m}, {@code 2d}. */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {}

    /** @throws IllegalArgumentException saying what is wrong and showing the expected form */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration; expected e.g. 90s, 10m, 1h30m");
        }
        String compact = text.strip();
        if (compact.equals("0")) {
            return Duration.ZERO;
        }
        Matcher part = PART.matcher(compact);
        Duration total = Duration.ZERO;
        int position = 0;
        while (position < compact.length()) {
            if (!part.find(position) || part.start() != position) {
                throw new IllegalArgumentException("bad duration '" + text + "'; expected e.g. 500ms, 90s, 10m, 1h30m");
            }
            try {
                long amount = Long.parseLong(part.group(1));
                total = total.plus(switch (part.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                });
            } catch (ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException("duration '" + text + "' is too long");
            }
            position = part.end();
        }
        return total;
    }

    /** The inverse of {@link #parse}, e.g. {@code 1h2m3s} or {@code 250ms}. */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        StringBuilder text = new StringBuilder(duration.isNegative() ? "-" : "");
        Duration rest = duration.abs();
        append(text, rest.toDaysPart(), "d");
        append(text, rest.toHoursPart(), "h");
        append(text, rest.toMinutesPart(), "m");
        append(text, rest.toSecondsPart(), "s");
        append(text, rest.toMillisPart(), "ms");
        return text.length() > (duration.isNegative() ? 1 : 0) ? text.toString() : "0s";
    }

    private static void append(StringBuilder text, long amount, String unit) {
        if (amount > 0) {
            text.append(amount).append(unit);
        }
    }
}
