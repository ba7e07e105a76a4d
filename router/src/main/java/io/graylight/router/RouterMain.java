package io.graylight.router;

import io.graylight.router.config.ConfigException;
import io.graylight.router.config.ConfigLoader;
import io.graylight.router.config.RouterConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code graylight router --config router.yaml [--port N] [--instances N] [--kafka HOST:PORT]}: runs the router
 * until SIGTERM/SIGINT, then drains in-flight calls. Options override the file's values.
 */
@Command(name = "router", mixinStandardHelpOptions = true,
        description = "Run the Graylight router: an OpenAI-compatible reverse proxy that splits traffic by the decisions topic.")
public final class RouterMain implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "the router's YAML config (see router/router.example.yaml)")
    Path config;

    @Option(names = "--port", description = "listen port (overrides listen.port; 0 = any free port)")
    Integer port;

    @Option(names = "--instances", description = "HTTP server verticle instances, one event loop each (overrides listen.instances; default: the cores)")
    Integer instances;

    @Option(names = "--kafka", description = "Kafka bootstrap servers (overrides kafka.bootstrapServers)")
    String kafka;

    @Option(names = "--admin-token-env", description = "environment variable holding the admin bearer token (overrides admin.tokenEnv)")
    String adminTokenEnv;

    @Override
    public Integer call() throws Exception {
        RouterConfig loaded;
        try {
            loaded = ConfigLoader.load(config);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        RouterConfig effective;
        try {
            effective = effective(loaded);
        } catch (IllegalArgumentException e) {
            System.err.println("router: " + e.getMessage());
            return 2;
        }
        RouterServer router;
        try {
            router = RouterServer.start(effective);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        System.out.println("graylight router listening on port " + router.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                router.close();
            } catch (Exception e) {
                System.err.println("router: shutdown: " + e);
            } finally {
                stopped.countDown();
            }
        }, "graylight-router-shutdown"));
        stopped.await();
        return 0;
    }

    /** The file's config with the command line's overrides. */
    private RouterConfig effective(RouterConfig loaded) {
        return new RouterConfig(
                new RouterConfig.Listen(loaded.listen().host(), port == null ? loaded.listen().port() : port,
                        instances == null ? loaded.listen().instances() : instances),
                kafka == null ? loaded.kafka() : new RouterConfig.Kafka(kafka, loaded.kafka().topicPrefix(), loaded.kafka().properties()),
                loaded.telemetry(), loaded.userId(), loaded.attributes(), loaded.upstream(),
                adminTokenEnv == null ? loaded.admin() : new RouterConfig.Admin(loaded.admin().token(), adminTokenEnv),
                loaded.metrics(), loaded.releases());
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RouterMain()).execute(args));
    }
}
