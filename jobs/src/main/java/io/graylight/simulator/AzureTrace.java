package io.graylight.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Arrays;

/**
 * Real LLM request arrivals and token counts: the Azure LLM inference trace 2023, code service
 * (one hour of 2023-11-16, CC-BY 4.0; Patel et al., "Splitwise: Efficient generative LLM
 * inference using phase splitting", ISCA 2024), shipped at {@value #RESOURCE}.
 *
 * <p>Arrival times are kept as offsets from the first row. The trace covers just under an hour;
 * longer simulations replay it every {@link #LOOP_PERIOD}, so the load keeps its real shape
 * hour after hour.
 *
 * <p>The three columns are plain numbers, so a split is enough: no CSV library is needed (the
 * only one on the classpath arrives with the Kafka broker, in provided scope).
 */
public final class AzureTrace {

    public static final String RESOURCE = "/data/azure-llm-2023/AzureLLMInferenceTrace_code.csv";
    public static final Duration LOOP_PERIOD = Duration.ofHours(1);
    private static final String HEADER = "TIMESTAMP,ContextTokens,GeneratedTokens";

    /** E.g. {@code 2023-11-16 18:17:03.9799600}; the trace is in UTC. */
    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .toFormatter();

    private static volatile AzureTrace bundled;

    private final long[] offsetNanos;
    private final int[] contextTokens;
    private final int[] generatedTokens;

    private AzureTrace(long[] offsetNanos, int[] contextTokens, int[] generatedTokens) {
        this.offsetNanos = offsetNanos;
        this.contextTokens = contextTokens;
        this.generatedTokens = generatedTokens;
    }

    /** The bundled trace, read once per JVM. */
    public static AzureTrace load() {
        AzureTrace trace = bundled;
        if (trace == null) {
            try (InputStream in = AzureTrace.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("trace " + RESOURCE + " is not on the classpath");
                }
                trace = parse(new InputStreamReader(in, StandardCharsets.UTF_8), RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
            bundled = trace;
        }
        return trace;
    }

    /**
     * Reads a trace in the Azure format. Rows must be in time order, as in the published files,
     * because arrivals are replayed in row order.
     *
     * @throws IllegalArgumentException naming {@code source}, the line and the problem
     */
    public static AzureTrace parse(Reader reader, String source) throws IOException {
        BufferedReader lines = new BufferedReader(reader);
        String header = lines.readLine();
        if (header == null || !header.strip().equals(HEADER)) {
            throw new IllegalArgumentException(source + ":1: expected the header " + HEADER + ", got " + header);
        }
        long[] offsets = new long[16_384];
        int[] context = new int[offsets.length];
        int[] generated = new int[offsets.length];
        int rows = 0;
        long first = 0;
        long previous = Long.MIN_VALUE;
        int lineNumber = 1;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            String[] columns = line.strip().split(",", -1);
            if (columns.length != 3) {
                throw new IllegalArgumentException(source + ":" + lineNumber + ": expected 3 columns, got " + columns.length);
            }
            long nanos = epochNanos(columns[0], source, lineNumber);
            if (rows == 0) {
                first = nanos;
            } else if (nanos < previous) {
                throw new IllegalArgumentException(source + ":" + lineNumber + ": timestamp " + columns[0] + " is before the previous row");
            }
            previous = nanos;
            if (rows == offsets.length) {
                offsets = Arrays.copyOf(offsets, rows * 2);
                context = Arrays.copyOf(context, rows * 2);
                generated = Arrays.copyOf(generated, rows * 2);
            }
            offsets[rows] = nanos - first;
            context[rows] = tokens(columns[1], "ContextTokens", source, lineNumber);
            generated[rows] = tokens(columns[2], "GeneratedTokens", source, lineNumber);
            rows++;
        }
        if (rows == 0) {
            throw new IllegalArgumentException(source + ": the trace has no rows");
        }
        if (offsets[rows - 1] >= LOOP_PERIOD.toNanos()) {
            throw new IllegalArgumentException(source + ": the trace spans more than " + LOOP_PERIOD + ", which cannot be looped hourly");
        }
        return new AzureTrace(Arrays.copyOf(offsets, rows), Arrays.copyOf(context, rows), Arrays.copyOf(generated, rows));
    }

    public int size() {
        return offsetNanos.length;
    }

    /** Time of row {@code row} after the first row. */
    public long offsetNanos(int row) {
        return offsetNanos[row];
    }

    public Duration offset(int row) {
        return Duration.ofNanos(offsetNanos[row]);
    }

    public int contextTokens(int row) {
        return contextTokens[row];
    }

    public int generatedTokens(int row) {
        return generatedTokens[row];
    }

    /** Offset of arrival {@code n} when the trace is replayed every {@link #LOOP_PERIOD}. */
    public long loopedOffsetNanos(long arrival) {
        long loop = arrival / size();
        return loop * LOOP_PERIOD.toNanos() + offsetNanos[(int) (arrival % size())];
    }

    /** The row that arrival {@code n} of the looped trace replays. */
    public int row(long arrival) {
        return (int) (arrival % size());
    }

    private static long epochNanos(String text, String source, int line) {
        try {
            LocalDateTime time = LocalDateTime.parse(text.strip(), TIMESTAMP);
            long seconds = time.toEpochSecond(ZoneOffset.UTC);
            return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), time.getNano());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(source + ":" + line + ": bad TIMESTAMP '" + text
                    + "', expected e.g. 2023-11-16 18:17:03.9799600");
        }
    }

    private static int tokens(String text, String column, String source, int line) {
        try {
            int value = Integer.parseInt(text.strip());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ":" + line + ": " + column + " must be a non-negative integer, got '" + text + "'");
        }
    }
}
