package io.graylight.contracts.routing;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A weekly time window of the {@code schedule} strategy, in which the canary may receive traffic
 * (shared by the plan parser and the router),
 * written {@code DAYS HH:MM-HH:MM ZONE}:
 * <ul>
 *   <li>{@code DAYS}: {@code Mon}, a range {@code Mon-Fri} (ranges may wrap: {@code Fri-Mon}), a
 *       comma list {@code Mon,Wed,Fri-Sat}, {@code weekdays}, {@code weekends} or {@code daily}; English
 *       names, 3 letters or full, any case;</li>
 *   <li>{@code HH:MM-HH:MM}: local start (inclusive) and end (exclusive), 24-hour clock; the end may be
 *       {@code 24:00}. An end before the start runs past midnight into the next day, and belongs
 *       to the day it starts on: {@code Fri 22:00-02:00} includes Saturday 01:00 but not Friday 01:00;</li>
 *   <li>{@code ZONE}: a time-zone id, required so that nobody has to guess: {@code UTC},
 *       {@code Europe/Berlin} (follows daylight saving time), {@code +05:30}.</li>
 * </ul>
 * Example: {@code Mon-Fri 02:00-06:00 UTC}.
 */
public final class ScheduleWindow {

    public static final String FORM = "expected 'DAYS HH:MM-HH:MM ZONE', e.g. 'Mon-Fri 02:00-06:00 UTC'";
    private static final Pattern TIME_RANGE = Pattern.compile("(\\d{1,2}):(\\d{2})-(\\d{1,2}):(\\d{2})");
    private static final int DAY_SECONDS = 24 * 60 * 60;

    private final String text;
    private final Set<DayOfWeek> days;
    private final int startSecond;
    private final int endSecond;
    private final ZoneId zone;

    private ScheduleWindow(String text, Set<DayOfWeek> days, int startSecond, int endSecond, ZoneId zone) {
        this.text = text;
        this.days = days;
        this.startSecond = startSecond;
        this.endSecond = endSecond;
        this.zone = zone;
    }

    /** @throws IllegalArgumentException with the reason, e.g. {@code unknown day 'Fry' (...)} */
    public static ScheduleWindow parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty window; " + FORM);
        }
        String[] parts = text.strip().split("\\s+");
        if (parts.length == 2 && TIME_RANGE.matcher(parts[1]).matches()) {
            throw new IllegalArgumentException("missing time zone; " + FORM);
        }
        if (parts.length != 3) {
            throw new IllegalArgumentException(FORM);
        }
        Set<DayOfWeek> days = parseDays(parts[0]);
        Matcher range = TIME_RANGE.matcher(parts[1]);
        if (!range.matches()) {
            throw new IllegalArgumentException("bad time range '" + parts[1] + "'; expected HH:MM-HH:MM, e.g. 02:00-06:00");
        }
        int start = secondOfDay(range.group(1), range.group(2), false);
        int end = secondOfDay(range.group(3), range.group(4), true);
        if (start == end) {
            throw new IllegalArgumentException("empty time range " + parts[1] + "; for whole days use 00:00-24:00");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(parts[2]);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + parts[2] + "'; use e.g. UTC, Europe/Berlin, +05:30");
        }
        // an end of 00:00 is midnight at the end of the day
        return new ScheduleWindow(text.strip(), days, start, end == 0 ? DAY_SECONDS : end, zone);
    }

    /** Whether the canary may receive traffic at {@code instant}. */
    public boolean contains(Instant instant) {
        ZonedDateTime local = instant.atZone(zone);
        DayOfWeek day = local.getDayOfWeek();
        int second = local.toLocalTime().toSecondOfDay();
        if (startSecond < endSecond) {
            return days.contains(day) && second >= startSecond && second < endSecond;
        }
        // past midnight: the evening part on a listed day, the morning part on the day after one
        return (days.contains(day) && second >= startSecond) || (days.contains(day.minus(1)) && second < endSecond);
    }

    public Set<DayOfWeek> days() {
        return EnumSet.copyOf(days);
    }

    public LocalTime start() {
        return LocalTime.ofSecondOfDay(startSecond);
    }

    /** The end; {@code 24:00} is {@link LocalTime#MIDNIGHT}. */
    public LocalTime end() {
        return LocalTime.ofSecondOfDay(endSecond % DAY_SECONDS);
    }

    public ZoneId zone() {
        return zone;
    }

    /** The window as written in the plan. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScheduleWindow other && days.equals(other.days) && startSecond == other.startSecond
                && endSecond == other.endSecond && zone.equals(other.zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(days, startSecond, endSecond, zone);
    }

    private static Set<DayOfWeek> parseDays(String text) {
        if (text.equalsIgnoreCase("daily")) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        if (text.equalsIgnoreCase("weekdays")) {
            return EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
        }
        if (text.equalsIgnoreCase("weekends")) {
            return EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String item : text.split(",", -1)) {
            String[] bounds = item.split("-", -1);
            if (bounds.length == 1) {
                days.add(day(bounds[0]));
            } else if (bounds.length == 2) {
                DayOfWeek first = day(bounds[0]);
                DayOfWeek last = day(bounds[1]);
                for (DayOfWeek d = first; ; d = d.plus(1)) {
                    days.add(d);
                    if (d == last) {
                        break;
                    }
                }
            } else {
                throw new IllegalArgumentException("bad day range '" + item + "'; expected e.g. Mon-Fri");
            }
        }
        return days;
    }

    private static DayOfWeek day(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (DayOfWeek day : DayOfWeek.values()) {
            String full = day.name().toLowerCase(Locale.ROOT);
            if (lower.equals(full) || lower.equals(full.substring(0, 3))) {
                return day;
            }
        }
        throw new IllegalArgumentException("unknown day '" + name + "' (use Mon, Tue, Wed, Thu, Fri, Sat, Sun, weekdays, weekends or daily)");
    }

    private static int secondOfDay(String hours, String minutes, boolean isEnd) {
        int h = Integer.parseInt(hours);
        int m = Integer.parseInt(minutes);
        if (isEnd && h == 24 && m == 0) {
            return DAY_SECONDS;
        }
        if (h > 23 || m > 59) {
            throw new IllegalArgumentException("bad time '" + hours + ":" + minutes + "' (00:00 to 23:59"
                    + (isEnd ? ", or 24:00 as an end)" : ")"));
        }
        return (h * 60 + m) * 60;
    }
}
