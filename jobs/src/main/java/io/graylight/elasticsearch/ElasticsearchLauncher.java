package io.graylight.elasticsearch;

import io.graylight.embedded.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts and stops a real single-node Elasticsearch: the {@code integ-test-zip} distribution the
 * build unpacks to {@code jobs/target/elasticsearch-7.17.29} (no bundled JDK, so it runs on the JDK
 * running this class). For tests, the demo and {@code scripts/elasticsearch}.
 *
 * <p>Each node has an instance directory of its own (config, data, logs, pid and port), so the
 * unpacked distribution is never written to. Security is off and it binds to 127.0.0.1 only, on a
 * free HTTP port. Elasticsearch refuses to run as root: when this JVM is root, the node runs as the
 * unprivileged user {@value #USER} (created if missing; {@code nobody} if it cannot be), and the
 * instance directory is handed to that user.
 */
public final class ElasticsearchLauncher {

    /** Must match {@code elasticsearch.server.version} in the parent POM. */
    public static final String VERSION = "7.17.29";
    public static final String USER = "graylight-es";
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(3);

    private static final String STATE_FILE = "graylight-es.properties";

    private ElasticsearchLauncher() {}

    /** A started node. */
    public static final class Node implements AutoCloseable {
        private final Path home;
        private final Path instance;
        private final int httpPort;
        private final int transportPort;
        private volatile long pid;
        private volatile Process process;

        private Node(Path home, Path instance, int httpPort, int transportPort) {
            this.home = home;
            this.instance = instance;
            this.httpPort = httpPort;
            this.transportPort = transportPort;
        }

        public URI url() {
            return URI.create("http://127.0.0.1:" + httpPort);
        }

        public Path instanceDirectory() {
            return instance;
        }

        public long pid() {
            return pid;
        }

        /** Stops the node (SIGTERM, then SIGKILL after 30 s); its data stays for {@link #restart}. */
        public void stop() {
            Optional<ProcessHandle> handle = process != null ? Optional.of(process.toHandle()) : ProcessHandle.of(pid);
            handle.ifPresent(ElasticsearchLauncher::terminate);
        }

        /** Starts the stopped node again, on the same port and with the same data. */
        public void restart(Duration timeout) throws IOException, InterruptedException {
            launch(this, timeout);
        }

        public boolean isAlive() {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }

        @Override
        public void close() {
            stop();
        }
    }

    /**
     * Starts a node in {@code instance} (created if missing) and waits until its cluster health is
     * yellow or green.
     *
     * @throws IllegalStateException with the tail of its log when it does not come up in time
     */
    public static Node start(Path instance, Duration timeout) throws IOException, InterruptedException {
        Path home = readableHome(distribution());
        Files.createDirectories(instance);
        Node node = new Node(home, instance.toAbsolutePath(), FreePorts.next(), FreePorts.next());
        launch(node, timeout);
        return node;
    }

    /** The node a previous {@link #start} left running in {@code instance}, if it is still alive. */
    public static Optional<Node> running(Path instance) throws IOException {
        Path state = instance.resolve(STATE_FILE);
        if (!Files.exists(state)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(state)) {
            p.load(in);
        }
        Node node = new Node(Path.of(p.getProperty("home")), instance.toAbsolutePath(),
                Integer.parseInt(p.getProperty("http.port")), Integer.parseInt(p.getProperty("transport.port")));
        node.pid = Long.parseLong(p.getProperty("pid"));
        return node.isAlive() ? Optional.of(node) : Optional.empty();
    }

    /** The unpacked distribution: {@code graylight.elasticsearch.home}, else under the build's target directory. */
    public static Path distribution() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getProperty("graylight.elasticsearch.home", System.getenv("GRAYLIGHT_ES_HOME"));
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        String graylightHome = System.getProperty("graylight.home");
        if (graylightHome != null) {
            candidates.add(Path.of(graylightHome, "jobs", "target", "elasticsearch-" + VERSION));
        }
        candidates.add(Path.of("target", "elasticsearch-" + VERSION));
        candidates.add(Path.of("jobs", "target", "elasticsearch-" + VERSION));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate.resolve("bin").resolve("elasticsearch"))) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("Elasticsearch " + VERSION + " is not unpacked (looked in " + candidates
                + "); build it with: mvn -pl jobs generate-resources");
    }

    private static void launch(Node node, Duration timeout) throws IOException, InterruptedException {
        Path instance = node.instance;
        Path config = instance.resolve("config");
        for (String dir : List.of("config", "data", "logs", "tmp")) {
            Files.createDirectories(instance.resolve(dir));
        }
        copyDefaultConfig(node.home.resolve("config"), config);
        Files.writeString(config.resolve("elasticsearch.yml"), String.join("\n",
                "cluster.name: graylight",
                "node.name: graylight-es",
                "discovery.type: single-node",
                "network.host: 127.0.0.1",
                "http.port: " + node.httpPort,
                "transport.port: " + node.transportPort,
                "path.data: " + instance.resolve("data"),
                "path.logs: " + instance.resolve("logs"),
                "xpack.security.enabled: false",
                // a nearly full disk must not turn every index read-only in a test or demo
                "cluster.routing.allocation.disk.threshold_enabled: false",
                "action.auto_create_index: true",
                ""));
        // our own JVM options: the distribution's write GC logs relative to its home, which the
        // unprivileged user cannot write; the heap is small, this node holds a demo's documents
        Files.writeString(config.resolve("jvm.options"), String.join("\n",
                "-Xms256m",
                "-Xmx256m",
                "-XX:+UseG1GC",
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.io.tmpdir=${ES_TMPDIR}",
                "-XX:ErrorFile=" + instance.resolve("logs") + "/hs_err_pid%p.log",
                "-Xlog:gc*:file=" + instance.resolve("logs") + "/gc.log:utctime:filecount=2,filesize=8m",
                ""));
        Path console = instance.resolve("logs").resolve("console.log");

        List<String> command = new ArrayList<>();
        String user = isRoot() ? unprivilegedUser() : null;
        if (user != null) {
            chown(instance, user);
            command.addAll(List.of("setpriv", "--reuid=" + user, "--regid=" + primaryGroup(user), "--clear-groups", "--"));
        }
        command.addAll(List.of("bash", node.home.resolve("bin").resolve("elasticsearch").toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(instance.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
        Map<String, String> env = builder.environment();
        env.put("ES_JAVA_HOME", System.getProperty("java.home"));
        env.put("ES_PATH_CONF", config.toString());
        env.put("ES_TMPDIR", instance.resolve("tmp").toString());
        env.remove("ES_JAVA_OPTS");
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("JAVA_HOME");
        Files.writeString(console, "== " + Instant.now() + " starting: " + String.join(" ", command) + "\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Process process = builder.start();
        node.process = process;
        node.pid = process.pid();
        writeState(node);
        awaitHealthy(node, process, console, timeout);
    }

    private static void awaitHealthy(Node node, Process process, Path console, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI health = node.url().resolve("/_cluster/health?wait_for_status=yellow&timeout=2s");
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Elasticsearch exited with status " + process.exitValue()
                        + " while starting; its log (" + console + ") ends:\n" + tail(console, 30));
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && !response.body().contains("\"status\":\"red\"")) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException notUpYet) {
                last = notUpYet.toString();
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        terminate(process.toHandle());
        throw new IllegalStateException("Elasticsearch did not become healthy within " + timeout + " (last answer: " + last
                + "); its log (" + console + ") ends:\n" + tail(console, 30));
    }

    static void terminate(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return;
        }
        // while starting, the pid is still bash running the JVM-options parser: end that child too
        handle.descendants().forEach(ProcessHandle::destroy);
        handle.destroy();
        try {
            handle.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception slow) {
            handle.destroyForcibly();
            handle.onExit().join();
        }
    }

    private static void writeState(Node node) throws IOException {
        Properties p = new Properties();
        p.setProperty("home", node.home.toString());
        p.setProperty("http.port", String.valueOf(node.httpPort));
        p.setProperty("transport.port", String.valueOf(node.transportPort));
        p.setProperty("pid", String.valueOf(node.pid));
        p.setProperty("url", node.url().toString());
        try (var out = Files.newBufferedWriter(node.instance.resolve(STATE_FILE))) {
            p.store(out, "Elasticsearch started by graylight");
        }
    }

    private static void copyDefaultConfig(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!Files.exists(target)) {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** {@value #USER}, created idempotently (two JVMs may race: the loser finds it made); else nobody. */
    private static String unprivilegedUser() throws IOException, InterruptedException {
        if (run("id", "-u", USER) == 0) {
            return USER;
        }
        run("useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", USER);
        return run("id", "-u", USER) == 0 ? USER : "nobody";
    }

    private static String primaryGroup(String user) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("id", "-gn", user).redirectErrorStream(true).start();
        String group = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return p.waitFor() == 0 && !group.isEmpty() ? group : user;
    }

    private static void chown(Path instance, String user) throws IOException, InterruptedException {
        if (run("chown", "-R", user + ":" + primaryGroup(user), instance.toString()) != 0) {
            throw new IOException("cannot hand " + instance + " to user " + user);
        }
    }

    /**
     * The distribution, or a copy the unprivileged user can read: a checkout under a private
     * directory such as /root is out of its reach.
     */
    private static Path readableHome(Path home) throws IOException, InterruptedException {
        if (!isRoot()) {
            return home;
        }
        String user = unprivilegedUser();
        Path probe = home.resolve("lib").resolve("elasticsearch-" + VERSION + ".jar");
        if (run("setpriv", "--reuid=" + user, "--regid=" + primaryGroup(user), "--clear-groups", "--",
                "test", "-r", probe.toString()) == 0) {
            return home;
        }
        Path copy = Path.of(System.getProperty("java.io.tmpdir"), "graylight-elasticsearch-" + VERSION);
        Path done = copy.resolve(".complete");
        if (!Files.exists(done)) {
            Path staging = Files.createTempDirectory(copy.getParent(), "graylight-elasticsearch-staging");
            if (run("cp", "-a", home + "/.", staging.toString()) != 0 || run("chmod", "-R", "a+rX", staging.toString()) != 0) {
                throw new IOException("cannot copy " + home + " to " + staging + " for user " + user);
            }
            Files.createFile(staging.resolve(".complete"));
            try {
                Files.move(staging, copy, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException anotherJvmWasFaster) {
                run("rm", "-rf", staging.toString());
            }
        }
        run("chmod", "a+rx", copy.toString());
        return copy;
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor();
    }
}
