package io.graylight.cli;

import io.graylight.simulator.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Durations on the command line as operators type them: 500ms, 90s, 10m, 1h30m. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
