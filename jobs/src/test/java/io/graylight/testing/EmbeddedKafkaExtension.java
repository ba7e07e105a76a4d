package io.graylight.testing;

import io.graylight.embedded.EmbeddedKafka;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-JVM KRaft broker per test class ({@code @RegisterExtension static}), started before the
 * class's own {@code @BeforeAll} methods and closed after its {@code @AfterAll} methods. Tests keep
 * apart on it by topic prefix.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedKafka broker;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        broker = EmbeddedKafka.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    public EmbeddedKafka broker() {
        return broker;
    }
}
