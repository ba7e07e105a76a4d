package io.graylight.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.graylight.mockllm.MockLlmServer;
import io.graylight.router.config.RouterConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The router's and the mock's HTTP servers run as several instances on one port, each on its own event loop. */
class RouterInstancesTest {

    private static final String BODY = "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":3}";

    @Test
    void connectionsAreSpreadOverEveryInstanceAndAllAreServed() throws Exception {
        try (MockLlmServer mock = new MockLlmServer(null, "v1", 0, 0, 7, 3).start("127.0.0.1", 0)) {
            RouterConfig.Target target = new RouterConfig.Target(mock.url(), "v1", null, null);
            RouterConfig config = new RouterConfig(new RouterConfig.Listen("127.0.0.1", 0, 3), null, null, null, null, null, null,
                    null, List.of(new RouterConfig.Release("chat", null, target, target)));
            RouterServer router = RouterServer.start(config);
            try {
                assertThat(router.instances()).isEqualTo(3);
                for (int i = 0; i < 12; i++) {
                    // a connection per call: the instances take new connections in turn
                    String response = call(router.port(), "user-" + i);
                    assertThat(response).startsWith("HTTP/1.1 200").containsIgnoringCase("X-Graylight-Cohort: baseline")
                            .contains("\"usage\"");
                }
                assertThat(mock.calls()).isEqualTo(12);
                List<Long> perInstance = router.requestsPerInstance();
                assertThat(perInstance).hasSize(3).allSatisfy(n -> assertThat(n).isPositive());
                assertThat(perInstance.stream().mapToLong(Long::longValue).sum()).isEqualTo(12);
            } finally {
                router.close();
            }
        }
    }

    @Test
    void twoMocksOnOneVertxGetTwoPorts() throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try (MockLlmServer a = new MockLlmServer(vertx, "v1", 0, 0, 1, 2).start("127.0.0.1", 0);
                MockLlmServer b = new MockLlmServer(vertx, "v2", 0, 0, 2, 2).start("127.0.0.1", 0)) {
            assertThat(a.port()).isPositive().isNotEqualTo(b.port());
            assertThat(call(a.port(), "u")).contains("X-Mock-Version: v1");
            assertThat(call(b.port(), "u")).contains("X-Mock-Version: v2");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    private static String call(int port, String user) throws Exception {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "X-Graylight-User: " + user + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

}
