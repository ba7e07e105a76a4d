package io.graylight.router.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The router's YAML configuration (see {@code router/router.example.yaml}); read by
 * {@link ConfigLoader}, which reports a bad file as {@code file:line:column: reason}. Every section
 * but {@code releases} has defaults. Durations are written {@code 500ms}, {@code 2s}, {@code 5m}.
 */
public record RouterConfig(
        Listen listen,
        Kafka kafka,
        Telemetry telemetry,
        UserId userId,
        Attributes attributes,
        Upstream upstream,
        Admin admin,
        Metrics metrics,
        List<Release> releases) {

    public RouterConfig {
        listen = listen == null ? new Listen(null, null, null) : listen;
        kafka = kafka == null ? new Kafka(null, null, null) : kafka;
        telemetry = telemetry == null ? new Telemetry(null, null, null) : telemetry;
        userId = userId == null ? new UserId(null, null) : userId;
        attributes = attributes == null ? new Attributes(null, null) : attributes;
        upstream = upstream == null ? new Upstream(null, null, null, null, null) : upstream;
        admin = admin == null ? new Admin(null, null) : admin;
        metrics = metrics == null ? new Metrics(null) : metrics;
        if (releases == null || releases.isEmpty()) {
            throw new IllegalArgumentException("'releases' is required: at least one release with its baseline and canary");
        }
        releases = List.copyOf(releases);
        long names = releases.stream().map(Release::name).distinct().count();
        if (names != releases.size()) {
            throw new IllegalArgumentException("release names must be unique");
        }
    }

    /**
     * Where the router listens; port 0 takes a free port. {@code instances} HTTP server verticles
     * share the port, each on its own event loop (default: the available cores), so one busy
     * event loop does not cap the router at one core.
     */
    public record Listen(String host, Integer port, Integer instances) {
        public Listen {
            host = host == null ? "0.0.0.0" : host;
            port = port == null ? 8080 : port;
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in [0, 65535]: " + port);
            }
            instances = instances == null ? Runtime.getRuntime().availableProcessors() : instances;
            if (instances < 1 || instances > 256) {
                throw new IllegalArgumentException("instances must be in [1, 256]: " + instances);
            }
        }

        public Listen(String host, Integer port) {
            this(host, port, null);
        }
    }

    /** The control and telemetry topics; {@code bootstrapServers} null = no Kafka (baseline only, no telemetry). */
    public record Kafka(String bootstrapServers, String topicPrefix, Map<String, String> properties) {
        public Kafka {
            topicPrefix = topicPrefix == null ? "graylight." : topicPrefix;
            properties = properties == null ? Map.of() : Map.copyOf(properties);
        }

        public String decisionsTopic() {
            return topicPrefix + "decisions";
        }

        public String targetingTopic() {
            return topicPrefix + "targeting";
        }

        public String telemetryTopic() {
            return topicPrefix + "telemetry";
        }
    }

    /** Telemetry to Kafka: on by default; at most {@code bufferSize} events wait, more are dropped and counted. */
    public record Telemetry(Boolean enabled, Integer bufferSize, String linger) {
        public Telemetry {
            enabled = enabled == null || enabled;
            bufferSize = bufferSize == null ? 100_000 : bufferSize;
            if (bufferSize < 1) {
                throw new IllegalArgumentException("bufferSize must be at least 1: " + bufferSize);
            }
            linger = linger == null ? "20ms" : linger;
            Durations.parse(linger);
        }

        public Duration lingerDuration() {
            return Durations.parse(linger);
        }
    }

    /**
     * Where the sticky user id comes from, tried in order: {@code header} (the named header),
     * {@code jwt-sub} (the {@code sub} claim of a bearer JWT; not verified: it only routes), and
     * {@code api-key} (a bearer token that is not a JWT, as a SHA-256 prefix so keys never reach telemetry).
     */
    public record UserId(String header, List<String> sources) {
        public static final List<String> KNOWN = List.of("header", "jwt-sub", "api-key");

        public UserId {
            header = header == null ? "X-Graylight-User" : header;
            sources = sources == null ? KNOWN : List.copyOf(sources);
            for (String source : sources) {
                if (!KNOWN.contains(source)) {
                    throw new IllegalArgumentException("unknown user id source '" + source + "' (known: " + String.join(", ", KNOWN) + ")");
                }
            }
        }
    }

    /**
     * Segment attributes of a request: headers {@code <headerPrefix><Name>} (X-Graylight-Region
     * gives {@code region}) override the optional {@code file}, a YAML map userId to attributes.
     */
    public record Attributes(String headerPrefix, String file) {
        public Attributes {
            headerPrefix = headerPrefix == null ? "X-Graylight-" : headerPrefix;
        }
    }

    /** Upstream calls: timeouts and whether a failed canary call is retried on the baseline. */
    public record Upstream(String connectTimeout, String requestTimeout, String idleTimeout,
            Boolean retryCanaryOnBaseline, Integer maxRequestBodyBytes) {
        public Upstream {
            connectTimeout = connectTimeout == null ? "2s" : connectTimeout;
            requestTimeout = requestTimeout == null ? "300s" : requestTimeout;
            idleTimeout = idleTimeout == null ? "60s" : idleTimeout;
            Durations.parse(connectTimeout);
            Durations.parse(requestTimeout);
            Durations.parse(idleTimeout);
            retryCanaryOnBaseline = retryCanaryOnBaseline != null && retryCanaryOnBaseline;
            maxRequestBodyBytes = maxRequestBodyBytes == null ? 16 * 1024 * 1024 : maxRequestBodyBytes;
        }

        public Duration connect() {
            return Durations.parse(connectTimeout);
        }

        public Duration request() {
            return Durations.parse(requestTimeout);
        }

        public Duration idle() {
            return Durations.parse(idleTimeout);
        }
    }

    /** The bearer token of {@code /admin/*}: {@code token}, or the environment variable {@code tokenEnv}. No token: admin is off. */
    public record Admin(String token, String tokenEnv) {
        public Admin {
            tokenEnv = tokenEnv == null ? "GRAYLIGHT_ADMIN_TOKEN" : tokenEnv;
        }

        public String resolvedToken() {
            if (token != null && !token.isBlank()) {
                return token;
            }
            String fromEnv = System.getenv(tokenEnv);
            return fromEnv == null || fromEnv.isBlank() ? null : fromEnv;
        }
    }

    /**
     * Whether Vert.x's own HTTP server and client metrics join the router's on {@code /metrics}.
     * Off by default: they build tags and look meters up on every call (some 15 % of the router's
     * event-loop time in a profile) and repeat what the router's own request metrics say.
     */
    public record Metrics(Boolean vertx) {
        public Metrics {
            vertx = vertx != null && vertx;
        }
    }

    /** A release: which requests belong to it, and its two upstreams. */
    public record Release(String name, Match match, Target baseline, Target canary) {
        public Release {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a release needs a 'name'");
            }
            match = match == null ? new Match(null, null, null) : match;
            Objects.requireNonNull(baseline, () -> "release " + name + " needs a 'baseline' {url, version}");
            Objects.requireNonNull(canary, () -> "release " + name + " needs a 'canary' {url, version}");
        }
    }

    /** All given conditions must hold; an empty match takes every request (put it last). */
    public record Match(String host, String pathPrefix, Map<String, String> headers) {
        public Match {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }
    }

    /**
     * An upstream: base {@code url} (its path is prefixed to the request's), the {@code version}
     * it serves (telemetry), and optional prices per 1,000 tokens for the cost field.
     */
    public record Target(String url, String version,
            @JsonProperty("inputPricePer1k") Double inputPricePer1k,
            @JsonProperty("outputPricePer1k") Double outputPricePer1k) {
        public Target {
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("an upstream needs a 'url' like http://localhost:9001");
            }
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad upstream url '" + url + "': " + e.getMessage());
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("bad upstream url '" + url + "': expected http(s)://host[:port][/path]");
            }
            if (inputPricePer1k != null && inputPricePer1k < 0 || outputPricePer1k != null && outputPricePer1k < 0) {
                throw new IllegalArgumentException("prices must be >= 0");
            }
        }

        public URI uri() {
            return URI.create(url);
        }
    }
}
