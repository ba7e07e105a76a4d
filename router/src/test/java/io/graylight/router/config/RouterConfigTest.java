package io.graylight.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouterConfigTest {

    @TempDir
    Path dir;

    private Path write(String text) throws Exception {
        Path file = dir.resolve("router.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void theExampleConfigLoadsWithItsDefaults() throws Exception {
        RouterConfig config = ConfigLoader.load(Path.of("router.example.yaml"));
        assertThat(config.releases()).extracting(RouterConfig.Release::name).containsExactly("search", "chat");
        assertThat(config.kafka().decisionsTopic()).isEqualTo("graylight.decisions");
        assertThat(config.upstream().retryCanaryOnBaseline()).isFalse();
        assertThat(config.userId().sources()).containsExactly("header", "jwt-sub", "api-key");
        assertThat(config.listen().instances()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.metrics().vertx()).isFalse();
    }

    @Test
    void serverInstancesMustBeAtLeastOne() throws Exception {
        Path file = write("""
                listen:
                  instances: 0
                releases:
                  - name: chat
                    baseline: {url: "http://localhost:9001", version: v1}
                    canary: {url: "http://localhost:9002", version: v2}
                """);
        assertThatThrownBy(() -> ConfigLoader.load(file)).hasMessageStartingWith(file + ":2:3:")
                .hasMessageContaining("instances must be in [1, 256]: 0");
        Files.writeString(file, Files.readString(file).replace("instances: 0", "instances: 3"));
        assertThat(ConfigLoader.load(file).listen().instances()).isEqualTo(3);
    }

    @Test
    void anUnknownFieldIsRefusedWithFileLineAndColumn() throws Exception {
        Path file = write("""
                releases:
                  - name: chat
                    baseline: {url: "http://localhost:9001", version: v1}
                    canray: {url: "http://localhost:9002", version: v2}
                """);
        assertThatThrownBy(() -> ConfigLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ":4:5:")
                .hasMessageContaining("unknown field 'canray' (at releases[0])")
                .hasMessageContaining("known: baseline, canary, match, name");
    }

    @Test
    void anInvalidValueIsRefusedWithWhereAndWhy() throws Exception {
        Path file = write("""
                upstream:
                  requestTimeout: soon
                releases:
                  - name: chat
                    baseline: {url: "http://localhost:9001", version: v1}
                    canary: {url: "localhost:9002", version: v2}
                """);
        assertThatThrownBy(() -> ConfigLoader.load(file)).hasMessageStartingWith(file + ":2:3:")
                .hasMessageContaining("bad duration 'soon'");
        Files.writeString(file, """
                releases:
                  - name: chat
                    baseline: {url: "http://localhost:9001", version: v1}
                    canary: {url: "localhost:9002", version: v2}
                """);
        assertThatThrownBy(() -> ConfigLoader.load(file)).hasMessageStartingWith(file + ":4:13:")
                .hasMessageContaining("bad upstream url 'localhost:9002'");
    }

    @Test
    void releasesAreRequired() throws Exception {
        Path file = write("listen: {port: 8080}\n");
        assertThatThrownBy(() -> ConfigLoader.load(file)).hasMessageStartingWith(file + ":")
                .hasMessageContaining("'releases' is required");
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(missing)).hasMessage(missing + ": no such file");
    }
}
