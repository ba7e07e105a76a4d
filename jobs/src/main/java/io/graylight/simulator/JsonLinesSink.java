package io.graylight.simulator;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Records as JSON Lines, one raw record per line (malformed ones too, as a producer would have
 * sent them), for {@code graylight replay} and for inspection. A name ending in {@code .gz} is
 * gzip-compressed.
 */
public final class JsonLinesSink implements RecordSink {

    private static final int BUFFER_BYTES = 1 << 16;

    private final OutputStream out;
    private final boolean closeUnderlying;
    private final boolean flushEachRecord;

    private JsonLinesSink(OutputStream out, boolean closeUnderlying, boolean flushEachRecord) {
        this.out = out;
        this.closeUnderlying = closeUnderlying;
        this.flushEachRecord = flushEachRecord;
    }

    public static JsonLinesSink toFile(Path file) throws IOException {
        return toFile(file, false);
    }

    /** {@code flushEachRecord} keeps a real-time run's file current, at some cost in speed. */
    public static JsonLinesSink toFile(Path file, boolean flushEachRecord) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        OutputStream raw = Files.newOutputStream(file);
        OutputStream out = file.getFileName().toString().endsWith(".gz")
                ? new GZIPOutputStream(raw, BUFFER_BYTES)
                : raw;
        return new JsonLinesSink(new BufferedOutputStream(out, BUFFER_BYTES), true, flushEachRecord);
    }

    /**
     * Writes to a stream the caller owns, such as stdout, which is flushed but not closed.
     * {@code flushEachRecord} makes each record visible at once, for real-time runs.
     */
    public static JsonLinesSink toStream(OutputStream stream, boolean flushEachRecord) {
        return new JsonLinesSink(new BufferedOutputStream(stream, BUFFER_BYTES), false, flushEachRecord);
    }

    @Override
    public void write(SimulatedRecord record) throws IOException {
        out.write(record.bytes());
        out.write('\n');
        if (flushEachRecord) {
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        if (closeUnderlying) {
            out.close();
        } else {
            out.flush();
        }
    }
}
