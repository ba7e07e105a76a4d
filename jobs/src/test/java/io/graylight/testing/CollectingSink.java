package io.graylight.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;

/**
 * An in-memory sink for MiniCluster tests. Flink ships a serialized copy of the sink to each task,
 * so what it collects lives in a static registry under this sink's id.
 */
public final class CollectingSink<T> implements Sink<T> {

    private static final Map<String, Queue<Object>> COLLECTED = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();

    public CollectingSink() {
        COLLECTED.put(id, new ConcurrentLinkedQueue<>());
    }

    @SuppressWarnings("unchecked")
    public List<T> collected() {
        return new ArrayList<>((Queue<T>) (Queue<?>) COLLECTED.get(id));
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<T> createWriter(InitContext context) {
        Queue<Object> target = COLLECTED.get(id);
        return new SinkWriter<>() {
            @Override public void write(T element, Context ctx) { target.add(element); }
            @Override public void flush(boolean endOfInput) {}
            @Override public void close() {}
        };
    }
}
