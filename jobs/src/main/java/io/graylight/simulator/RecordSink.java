package io.graylight.simulator;

import java.io.IOException;

/** Where simulated records go: a JSON Lines file, stdout or Kafka. */
public interface RecordSink extends AutoCloseable {

    void write(SimulatedRecord record) throws IOException;

    /** Flushes and releases; reports any record that could not be delivered. */
    @Override
    void close() throws IOException;
}
