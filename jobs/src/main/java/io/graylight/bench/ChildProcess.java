package io.graylight.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process a benchmark starts beside itself (a router, a mock upstream, nginx): its output goes
 * to {@code <work>/logs/<name>.log}, its port is read from the line it prints once it listens,
 * and its CPU time (itself and its children, e.g. nginx's workers) is read from {@code /proc}.
 * Closing it stops it (SIGTERM, then SIGKILL after 10 s).
 */
final class ChildProcess implements AutoCloseable {

    /** Linux's USER_HZ: the unit of the CPU times in {@code /proc/<pid>/stat}. */
    static final long CLOCK_TICKS_PER_SECOND = 100;

    private final String name;
    private final Process process;
    private final Path log;
    private final int port;

    private ChildProcess(String name, Process process, Path log, int port) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts {@code command}; with a {@code listening} pattern, waits (up to 2 min) for an output
     * line it matches and takes its first group as the port.
     */
    static ChildProcess start(Path work, String name, Pattern listening, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        Path logs = Files.createDirectories(work.resolve("logs"));
        Path log = logs.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        // copy the output to the log, and hand the first line that says where it listens to the waiter
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread copier = new Thread(() -> copyOutput(process, log, listening, port), "bench-" + name + "-output");
        copier.setDaemon(true);
        copier.start();
        if (listening == null) {
            return new ChildProcess(name, process, log, -1);
        }
        try {
            return new ChildProcess(name, process, log, port.get(2, TimeUnit.MINUTES));
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IOException(name + " did not start listening (" + e.getMessage() + "); its output:\n" + Files.readString(log));
        }
    }

    private static void copyOutput(Process process, Path log, Pattern listening, CompletableFuture<Integer> port) {
        try (BufferedReader in = process.inputReader(StandardCharsets.UTF_8);
                var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.newLine();
                out.flush();
                Matcher m = listening == null ? null : listening.matcher(line);
                if (m != null && m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            port.completeExceptionally(e);
        }
        port.completeExceptionally(new IOException("its output ended: it exited"));
    }

    /** The same process, known to listen on {@code port} (for one that does not print it). */
    ChildProcess listeningOn(int port) {
        return new ChildProcess(name, process, log, port);
    }

    int port() {
        return port;
    }

    Path log() {
        return log;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** User + system CPU time of the process and its descendants, in clock ticks. */
    long cpuTicks() {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        process.descendants().forEach(all::add);
        long ticks = 0;
        for (ProcessHandle handle : all) {
            ticks += ticksOf(handle.pid());
        }
        return ticks;
    }

    private static long ticksOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the fields after the command name, which is in parentheses and may hold spaces
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        } catch (IOException | RuntimeException e) {
            return 0; // it has exited
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
