package io.graylight.replay;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * How many telemetry lines a replay has read so far. The replay's MiniCluster runs in the CLI's
 * JVM, so the file reader can count into a static registry that the progress bar polls.
 */
public final class ReplayProgress {

    private static final Map<String, AtomicLong> COUNTERS = new ConcurrentHashMap<>();

    private ReplayProgress() {}

    public static String register() {
        String id = UUID.randomUUID().toString();
        COUNTERS.put(id, new AtomicLong());
        return id;
    }

    public static void unregister(String id) {
        COUNTERS.remove(id);
    }

    public static long read(String id) {
        AtomicLong counter = COUNTERS.get(id);
        return counter == null ? 0 : counter.get();
    }

    /** Called by the reader per line; a no-op for unknown ids (e.g. on a real cluster). */
    public static void advance(String id) {
        if (id != null) {
            AtomicLong counter = COUNTERS.get(id);
            if (counter != null) {
                counter.incrementAndGet();
            }
        }
    }

    public static long countLines(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = new BufferedInputStream(
                        file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16)) {
            long lines = 0;
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
            return lines;
        }
    }
}
