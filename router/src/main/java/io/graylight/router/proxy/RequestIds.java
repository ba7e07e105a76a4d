package io.graylight.router.proxy;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Random (version 4) UUIDs for telemetry event ids, which clients also get back as
 * {@code X-Graylight-Request-Id} to rate a call. {@link UUID#randomUUID()} draws from one
 * JVM-wide {@code SecureRandom} behind a lock that every event loop would queue on; here each
 * thread has its own DRBG generator, so ids stay unguessable (a client must not be able to rate
 * another user's call) without a shared lock on the request path. A DRBG call costs about the
 * same for 16 bytes as for 4 KB, so each thread draws {@value #IDS_PER_DRAW} ids' worth at once.
 */
final class RequestIds {

    private static final int IDS_PER_DRAW = 256;
    private static final ThreadLocal<Source> SOURCE = ThreadLocal.withInitial(Source::new);

    private RequestIds() {}

    static String next() {
        return SOURCE.get().next();
    }

    /** One thread's generator and the random bytes it has drawn but not yet used. */
    private static final class Source {
        private final SecureRandom random = generator();
        private final byte[] bytes = new byte[16 * IDS_PER_DRAW];
        private int used = bytes.length;

        String next() {
            if (used == bytes.length) {
                random.nextBytes(bytes);
                used = 0;
            }
            int i = used;
            used += 16;
            long msb = 0;
            long lsb = 0;
            for (int k = 0; k < 8; k++) {
                msb = (msb << 8) | (bytes[i + k] & 0xff);
                lsb = (lsb << 8) | (bytes[i + 8 + k] & 0xff);
            }
            msb = (msb & ~0xf000L) | 0x4000L; // version 4
            lsb = (lsb & ~(0xc0L << 56)) | (0x80L << 56); // IETF variant
            return new UUID(msb, lsb).toString();
        }

        private static SecureRandom generator() {
            try {
                return SecureRandom.getInstance("DRBG");
            } catch (NoSuchAlgorithmException e) {
                return new SecureRandom();
            }
        }
    }
}
