package io.graylight.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void idsAreDistinctVersion4Uuids() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            String id = RequestIds.next();
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(uuid.toString()).isEqualTo(id);
            assertThat(seen.add(id)).as("repeated id %s", id).isTrue();
        }
    }

    @Test
    void hopByHopHeadersAreRecognisedWhateverTheirCase() {
        assertThat(ProxyHandler.isHopByHop("Connection")).isTrue();
        assertThat(ProxyHandler.isHopByHop("TRANSFER-ENCODING")).isTrue();
        assertThat(ProxyHandler.isHopByHop("content-length")).isTrue();
        assertThat(ProxyHandler.isHopByHop("Content-Type")).isFalse();
        assertThat(ProxyHandler.isHopByHop("X-Graylight-User")).isFalse();
    }
}
