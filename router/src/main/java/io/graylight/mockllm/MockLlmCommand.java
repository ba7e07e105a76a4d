package io.graylight.mockllm;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code graylight mock-llm}: runs the OpenAI-compatible mock upstream until interrupted. */
@Command(name = "mock-llm", mixinStandardHelpOptions = true,
        description = "Run an OpenAI-compatible mock LLM (streaming and not) with a latency model and fault injection.")
public final class MockLlmCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "listen address (${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "9001", description = "listen port, 0 = any free port (${DEFAULT-VALUE})")
    int port;

    @Option(names = "--model-version", defaultValue = "v1", description = "the version it claims to be (${DEFAULT-VALUE})")
    String version;

    @Option(names = "--ttft-ms", defaultValue = "150", description = "mean time to the first token (${DEFAULT-VALUE})")
    double ttftMs;

    @Option(names = "--per-token-ms", defaultValue = "10", description = "mean time per output token (${DEFAULT-VALUE})")
    double perTokenMs;

    @Option(names = "--error-rate", defaultValue = "0", description = "share of calls answered 500")
    double errorRate;

    @Option(names = "--rate-limit-rate", defaultValue = "0", description = "share of calls answered 429")
    double rateLimitRate;

    @Option(names = "--slow-factor", defaultValue = "1", description = "latency multiplier")
    double slowFactor;

    @Option(names = "--stall-rate", defaultValue = "0", description = "share of calls that stall before the first byte")
    double stallRate;

    @Option(names = "--stall-ms", defaultValue = "30000", description = "how long a stall lasts (${DEFAULT-VALUE})")
    long stallMs;

    @Option(names = "--wrong-usage", description = "report usage ten times too high")
    boolean wrongUsage;

    @Option(names = "--drop-usage", description = "leave usage out")
    boolean dropUsage;

    @Option(names = "--instances", description = "HTTP server instances, one event loop each (default: the cores)")
    Integer instances;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        MockFaults faults;
        try {
            faults = new MockFaults(errorRate, rateLimitRate, slowFactor, stallRate, stallMs, wrongUsage, dropUsage);
        } catch (IllegalArgumentException e) {
            System.err.println("mock-llm: " + e.getMessage());
            return 2;
        }
        if (instances != null && instances < 1) {
            System.err.println("mock-llm: --instances must be at least 1");
            return 2;
        }
        MockLlmServer server = new MockLlmServer(null, version, ttftMs, perTokenMs, seed,
                instances == null ? Runtime.getRuntime().availableProcessors() : instances).start(host, port);
        server.setFaults(faults);
        System.out.println("mock LLM " + version + " listening on " + host + ":" + server.port()
                + " (faults: PUT /mock/faults with JSON, e.g. {\"errorRate\":0.1})");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                // exiting anyway
            }
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new MockLlmCommand()).execute(args));
    }
}
