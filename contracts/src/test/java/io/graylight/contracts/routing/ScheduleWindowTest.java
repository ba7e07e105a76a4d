package io.graylight.contracts.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleWindowTest {

    // 2026-11-30 is a Monday.

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
            // weekdays, UTC: start inclusive, end exclusive
            "'Mon-Fri 02:00-06:00 UTC', 2026-11-30T02:00:00Z, true",
            "'Mon-Fri 02:00-06:00 UTC', 2026-11-30T05:59:59.999Z, true",
            "'Mon-Fri 02:00-06:00 UTC', 2026-11-30T06:00:00Z, false",
            "'Mon-Fri 02:00-06:00 UTC', 2026-11-30T01:59:59Z, false",
            "'Mon-Fri 02:00-06:00 UTC', 2026-12-04T03:00:00Z, true",   // Friday
            "'Mon-Fri 02:00-06:00 UTC', 2026-12-05T03:00:00Z, false",  // Saturday
            "'Mon-Fri 02:00-06:00 UTC', 2026-12-06T03:00:00Z, false",  // Sunday
            // another zone: 02:00 in Berlin (CET, +01:00 in winter) is 01:00 UTC
            "'Mon-Fri 02:00-06:00 Europe/Berlin', 2026-11-30T01:00:00Z, true",
            "'Mon-Fri 02:00-06:00 Europe/Berlin', 2026-11-30T05:00:00Z, false",
            // summer time: CEST, +02:00
            "'Mon-Fri 02:00-06:00 Europe/Berlin', 2026-06-01T00:00:00Z, true",
            "'Mon-Fri 02:00-06:00 Europe/Berlin', 2026-06-01T04:00:00Z, false",
            // the zone decides the day: Monday 01:00 in Berlin is still Sunday in UTC
            "'Mon 00:00-03:00 Europe/Berlin', 2026-11-29T23:30:00Z, true",
            "'Mon 00:00-03:00 UTC', 2026-11-29T23:30:00Z, false",
            // fixed offsets
            "'Tue 09:30-10:00 +05:30', 2026-12-01T04:00:00Z, true",
            "'Tue 09:30-10:00 +05:30', 2026-12-01T04:30:00Z, false",
            // past midnight: belongs to the day it starts on
            "'Fri 22:00-02:00 UTC', 2026-12-04T23:00:00Z, true",   // Friday night
            "'Fri 22:00-02:00 UTC', 2026-12-05T01:30:00Z, true",   // early Saturday
            "'Fri 22:00-02:00 UTC', 2026-12-05T02:00:00Z, false",
            "'Fri 22:00-02:00 UTC', 2026-12-04T01:00:00Z, false",  // early Friday: Thursday's night is not listed
            "'Fri 22:00-02:00 UTC', 2026-12-05T23:00:00Z, false",  // Saturday night
            // wrapping day ranges, lists, whole days, daily
            "'Fri-Mon 10:00-11:00 UTC', 2026-12-06T10:30:00Z, true",  // Sunday
            "'Fri-Mon 10:00-11:00 UTC', 2026-12-01T10:30:00Z, false", // Tuesday
            "'Mon,Wed 10:00-11:00 UTC', 2026-12-02T10:30:00Z, true",
            "'Mon,Wed 10:00-11:00 UTC', 2026-12-01T10:30:00Z, false",
            "'Sat,Sun 00:00-24:00 UTC', 2026-12-06T23:59:59Z, true",
            "'Sat,Sun 00:00-24:00 UTC', 2026-12-07T00:00:00Z, false",
            "'daily 12:00-13:00 UTC', 2026-12-03T12:15:00Z, true",
            "'weekdays 12:00-13:00 UTC', 2026-12-04T12:15:00Z, true",
            "'weekdays 12:00-13:00 UTC', 2026-12-05T12:15:00Z, false",
            "'weekends 12:00-13:00 UTC', 2026-12-06T12:15:00Z, true",
            "'saturday 22:00-00:00 UTC', 2026-12-05T23:59:00Z, true",
            "'saturday 22:00-00:00 UTC', 2026-12-06T00:00:00Z, false",
    })
    void contains(String window, String instant, boolean expected) {
        assertThat(ScheduleWindow.parse(window).contains(Instant.parse(instant))).isEqualTo(expected);
    }

    @Test
    void partsAreExposed() {
        ScheduleWindow window = ScheduleWindow.parse("  Mon-Wed,Fri 02:00-06:30 Europe/Berlin ");
        assertThat(window.days()).containsExactly(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY);
        assertThat(window.start()).isEqualTo(LocalTime.of(2, 0));
        assertThat(window.end()).isEqualTo(LocalTime.of(6, 30));
        assertThat(window.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(window).hasToString("Mon-Wed,Fri 02:00-06:30 Europe/Berlin");
        assertThat(window).isEqualTo(ScheduleWindow.parse("mon-wed,friday 02:00-06:30 Europe/Berlin"));
        assertThat(ScheduleWindow.parse("Sun 00:00-24:00 UTC").end()).isEqualTo(LocalTime.MIDNIGHT);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Mon-Fry 02:00-06:00 UTC | unknown day 'Fry' (use Mon, Tue, Wed, Thu, Fri, Sat, Sun, weekdays, weekends or daily)",
            "Mon-Fri 02:00-06:00 | missing time zone; expected 'DAYS HH:MM-HH:MM ZONE', e.g. 'Mon-Fri 02:00-06:00 UTC'",
            "Mon-Fri 2-6 UTC | bad time range '2-6'; expected HH:MM-HH:MM, e.g. 02:00-06:00",
            "Mon-Fri 02:00-25:00 UTC | bad time '25:00' (00:00 to 23:59, or 24:00 as an end)",
            "Mon-Fri 24:00-06:00 UTC | bad time '24:00' (00:00 to 23:59)",
            "Mon-Fri 02:61-06:00 UTC | bad time '02:61' (00:00 to 23:59)",
            "Mon-Fri 06:00-06:00 UTC | empty time range 06:00-06:00; for whole days use 00:00-24:00",
            "Mon-Fri 02:00-06:00 Mars/Olympus | unknown time zone 'Mars/Olympus'; use e.g. UTC, Europe/Berlin, +05:30",
            "Mon-Tue-Wed 02:00-06:00 UTC | bad day range 'Mon-Tue-Wed'; expected e.g. Mon-Fri",
            "Mon,,Fri 02:00-06:00 UTC | unknown day '' (use Mon, Tue, Wed, Thu, Fri, Sat, Sun, weekdays, weekends or daily)",
            "weekday nights | expected 'DAYS HH:MM-HH:MM ZONE', e.g. 'Mon-Fri 02:00-06:00 UTC'",
    })
    void refusesWithTheReason(String window, String reason) {
        assertThatThrownBy(() -> ScheduleWindow.parse(window)).isInstanceOf(IllegalArgumentException.class).hasMessage(reason);
    }

    @Test
    void refusesBlank() {
        assertThatThrownBy(() -> ScheduleWindow.parse(" ")).hasMessage(
                "empty window; expected 'DAYS HH:MM-HH:MM ZONE', e.g. 'Mon-Fri 02:00-06:00 UTC'");
    }
}
