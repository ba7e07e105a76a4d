package io.graylight.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for a process started later that cannot listen on port 0 and report the
 * port (Elasticsearch, nginx). Drawn below the kernel's ephemeral range, not with a
 * {@code ServerSocket(0)}: a port from inside that range can be handed to some outgoing
 * connection between the check and the other process's bind (the cluster scripts' JobManager lost
 * its REST port that way). Never the same port twice in one JVM.
 */
public final class FreePorts {

    private static final int LOWEST = 10_000;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {}

    /** A loopback port nothing listens on now, below the ephemeral range. */
    public static synchronized int next() throws IOException {
        int bound = ephemeralLow();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, bound);
            if (!HANDED_OUT.contains(port) && bindable(port)) {
                HANDED_OUT.add(port);
                return port;
            }
        }
        throw new IOException("no free loopback port in " + LOWEST + "-" + (bound - 1) + " after 200 tries");
    }

    /** The first port of the kernel's ephemeral range (32768 where it cannot be read or leaves no room below). */
    static int ephemeralLow() {
        try {
            int low = Integer.parseInt(Files.readString(EPHEMERAL_RANGE, StandardCharsets.US_ASCII).trim().split("\\s+")[0]);
            return low > LOWEST + 1_000 ? low : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
