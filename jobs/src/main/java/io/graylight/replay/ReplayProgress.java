package io.graylight.replay;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * How many telemetry lines a replay has read so far. The replay's MiniCluster runs in the CLI's
 * JVM, so the file reader can count into a static registry that the progress bar polls.
 */
public final class ReplayProgress {

    private static final Map<String, AtomicLong> COUNTERS = new ConcurrentHashMap<>();

    private ReplayProgress() {}

    /** A bounded pipeline over a telemetry file whose reader counts its lines under {@code progressId}. */
    @FunctionalInterface
    public interface FilePipeline<T> {
        DataStream<T> build(StreamExecutionEnvironment env, String progressId) throws Exception;
    }

    /**
     * Runs {@code pipeline} on a local MiniCluster and collects all it emits, with a progress bar
     * over the telemetry file's lines named {@code task} unless {@code quiet}.
     */
    public static <T> List<T> collect(Path telemetry, String task, boolean quiet, int parallelism, String jobName,
            FilePipeline<T> pipeline) throws Exception {
        long lines = quiet ? 0 : countLines(telemetry);
        String progressId = register();
        List<T> out = new ArrayList<>();
        try (ProgressBar progress = quiet ? null : new ProgressBarBuilder().setTaskName(task).setInitialMax(lines)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" events", 1).continuousUpdate().build()) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism);
            try (CloseableIterator<T> results = pipeline.build(env, progressId).executeAndCollect(jobName)) {
                while (results.hasNext()) {
                    out.add(results.next());
                    if (progress != null) {
                        progress.stepTo(read(progressId));
                    }
                }
            }
            if (progress != null) {
                progress.stepTo(read(progressId));
            }
        } finally {
            unregister(progressId);
        }
        return out;
    }

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
